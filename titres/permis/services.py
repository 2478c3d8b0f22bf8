"""Writes of the permis app: each atomic, with an actor and an audit event.

Matching and refusal reasons (reads) live in matching.py and are re-exported
here so callers have one module to import."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core import ratelimit
from titres.core.journal import record_event
from titres.permis.audit import PermisEvent

from .enums import OLD_TITLE_STATUS_BY_MOTIF, LicenceState, TitleStatus
from .ephoto_specimen import attach_specimens
from .identifiers import compact, ephoto_code_is_well_formed, neph_is_valid, new_ephoto_code
from .matching import MatchResult, licence_refusal_reason, match_snpc_record
from .models import (
    EPhoto,
    LicenceHolderLink,
    LicenceRecord,
    LicenceRequest,
    LicenceTitle,
    Photographer,
)

__all__ = [
    "EPhotoCheck",
    "add_passed_categories",
    "LinkError",
    "MatchResult",
    "change_licence_state",
    "check_ephoto_code",
    "licence_refusal_reason",
    "link_licence_record",
    "mark_title",
    "match_snpc_record",
    "next_title_number",
    "record_new_title",
    "register_photo",
    "unlink_licence_record",
    "use_ephoto_code",
]


# --- Titles ---------------------------------------------------------------


def next_title_number(issued_on: date) -> str:
    """A fresh card number "YYLLNNNNN" (year, two letters, five digits)."""
    prefix = f"{issued_on.year % 100:02d}"
    last = (
        LicenceTitle.objects.filter(
            number__startswith=prefix, number__regex=r"^[0-9]{2}[A-Z]{2}[0-9]{5}$"
        )
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = 0
    if last:
        letters, digits = last[2:4], int(last[4:])
        serial = ((ord(letters[0]) - 65) * 26 + (ord(letters[1]) - 65)) * 100000 + digits + 1
    block, digits = divmod(serial, 100000)
    first, second = divmod(block, 26)
    return f"{prefix}{chr(65 + first)}{chr(65 + second)}{digits:05d}"


@transaction.atomic
def mark_title(
    *, title: LicenceTitle, status: str, actor, request=None, demarche_number: str = ""
) -> LicenceTitle:
    """Mark a card lost, stolen, damaged or replaced (never back to valid)."""
    title = LicenceTitle.objects.select_for_update().get(pk=title.pk)
    if status not in TitleStatus.values or status == TitleStatus.VALIDE:
        raise ValueError(f"statut de titre impossible : {status}")
    previous = title.status
    title.status = status
    title.status_changed_at = timezone.now()
    if demarche_number:
        title.demarche_number = demarche_number
    title.save(update_fields=["status", "status_changed_at", "demarche_number"])
    record_event(
        PermisEvent.TITRE_STATUS_CHANGED,
        actor=actor,
        request=request,
        target=title,
        data={"neph": title.record.neph, "numero": title.number, "de": previous, "vers": status},
    )
    return title


@transaction.atomic
def record_new_title(
    *,
    record: LicenceRecord,
    actor,
    issued_on: date | None = None,
    number: str | None = None,
    replaces: LicenceTitle | None = None,
    old_status: str | None = None,
    motif: str | None = None,
    demarche_number: str = "",
    request=None,
) -> LicenceTitle:
    """Record a card produced for `record` (called by the back office when a
    request is sent to production).

    Every card still valid on the file (or only `replaces` when given) is
    marked with `old_status`, or the status implied by the request `motif`
    (perte → perdu, vol → volé, deterioration → détérioré, expiration /
    changement_etat_civil → remplacé), and linked to the new card."""
    issued_on = issued_on or timezone.localdate()
    if old_status is None:
        old_status = OLD_TITLE_STATUS_BY_MOTIF.get(motif or "", TitleStatus.REMPLACE)
    previous = (
        [replaces]
        if replaces is not None
        else list(record.titles.select_for_update().filter(status=TitleStatus.VALIDE))
    )
    title = LicenceTitle.objects.create(
        record=record,
        number=number or next_title_number(issued_on),
        issued_on=issued_on,
        demarche_number=demarche_number,
    )
    if record.state == LicenceState.EN_FORMATION:
        issue_first_licence(
            record=record, issued_on=issued_on, actor=actor, request=request,
            demarche_number=demarche_number,
        )  # fmt: skip
    if demarche_number:
        extension = (
            LicenceRequest.objects.filter(demarche__number=demarche_number, motif="extension")
            .only("categories")
            .first()
        )
        if extension is not None:
            add_passed_categories(
                record=record, categories=extension.categories, actor=actor,
                request=request, demarche_number=demarche_number,
            )  # fmt: skip
    for old in previous:
        if old.record_id != record.pk:
            raise ValueError("le titre remplacé appartient à un autre dossier")
        mark_title(
            title=old,
            status=old_status,
            actor=actor,
            request=request,
            demarche_number=demarche_number,
        )
        old.refresh_from_db()
        if old.replaced_by_id is None:
            old.replaced_by = title
            old.save(update_fields=["replaced_by"])
    record_event(
        PermisEvent.TITRE_RECORDED,
        actor=actor,
        request=request,
        target=title,
        data={
            "neph": record.neph,
            "numero": title.number,
            "remplace": [old.number for old in previous],
            "statut_ancien": old_status if previous else None,
            "demarche": demarche_number,
        },
    )
    return title


PROBATION_POINTS = 6


@transaction.atomic
def issue_first_licence(
    *, record: LicenceRecord, issued_on: date, actor, request=None, demarche_number: str = ""
) -> LicenceRecord:
    """The first card of a candidate "en formation" is made: the categories
    passed at the practical test join the licence, which becomes valid with
    its probationary 6 points (12 after three years, two after AAC)."""
    from .enums import HEAVY_CATEGORIES
    from .models import LicenceCategory, LicenceRequest, add_years

    record = LicenceRecord.objects.select_for_update().get(pk=record.pk)
    if record.state != LicenceState.EN_FORMATION:
        return record
    held = set(record.categories.values_list("category", flat=True))
    added = []
    for test in record.practical_tests.filter(passed=True).order_by("taken_on"):
        if test.category in held:
            continue
        LicenceCategory.objects.create(
            record=record,
            category=test.category,
            obtained_on=test.taken_on,
            valid_until=add_years(test.taken_on, 5) if test.category in HEAVY_CATEGORIES else None,
        )
        held.add(test.category)
        added.append(test.category)
    inscription = (
        LicenceRequest.objects.filter(record=record, motif="inscription")
        .select_related("demarche")
        .first()
    )
    aac = bool(
        inscription and ((inscription.demarche.answers or {}).get("categories") or {}).get("aac")
    )
    record.state = LicenceState.VALIDE
    record.state_since = issued_on
    record.points_balance = PROBATION_POINTS
    record.probation_start = issued_on
    record.probation_aac = aac
    record.save(
        update_fields=[
            "state", "state_since", "points_balance", "probation_start", "probation_aac",
            "updated_at",
        ]
    )  # fmt: skip
    record_event(
        PermisEvent.LICENCE_ISSUED,
        actor=actor,
        request=request,
        target=record,
        data={
            "neph": record.neph,
            "categories": added,
            "points": PROBATION_POINTS,
            "aac": aac,
            "demarche": demarche_number,
        },
    )
    return record


@transaction.atomic
def add_passed_categories(
    *, record: LicenceRecord, categories: list[str], actor, request=None, demarche_number: str = ""
) -> list[str]:
    """An extension's card is made: each category whose practical test the
    holder passed joins the licence, obtained on the exam's date (heavy
    categories valid five years from it). Idempotent: a category already
    held is left as it is."""
    from .enums import HEAVY_CATEGORIES
    from .models import LicenceCategory, add_years

    record = LicenceRecord.objects.select_for_update().get(pk=record.pk)
    held = set(record.categories.values_list("category", flat=True))
    added = []
    for category in categories:
        if category in held:
            continue
        test = (
            record.practical_tests.filter(passed=True, category=category)
            .order_by("-taken_on")
            .first()
        )
        if test is None:
            continue  # checked at submission; never add a category without its exam
        LicenceCategory.objects.create(
            record=record,
            category=category,
            obtained_on=test.taken_on,
            valid_until=add_years(test.taken_on, 5) if category in HEAVY_CATEGORIES else None,
        )
        held.add(category)
        added.append(category)
    record_event(
        PermisEvent.CATEGORIES_ADDED,
        actor=actor,
        request=request,
        target=record,
        data={"neph": record.neph, "categories": added, "demarche": demarche_number},
    )
    return added


@transaction.atomic
def change_licence_state(
    *,
    record: LicenceRecord,
    state: str,
    actor,
    suspension_end: date | None = None,
    reason: str = "",
    request=None,
) -> LicenceRecord:
    """Suspend, cancel, invalidate or restore a licence (file maintenance)."""
    if state not in LicenceState.values:
        raise ValueError(f"état impossible : {state}")
    record = LicenceRecord.objects.select_for_update().get(pk=record.pk)
    previous = record.state
    record.state = state
    record.state_since = timezone.localdate()
    record.suspension_end = suspension_end if state == LicenceState.SUSPENDU else None
    if state == LicenceState.INVALIDE:
        record.points_balance = 0
    record.save(update_fields=["state", "state_since", "suspension_end", "points_balance"])
    record_event(
        PermisEvent.LICENCE_STATE_CHANGED,
        actor=actor,
        request=request,
        target=record,
        data={"neph": record.neph, "de": previous, "vers": state, "motif": reason},
    )
    return record


# --- Citizen's link to their own file -------------------------------------

LINK_MAX_FAILURES = 5
LINK_FAILURES = f"{LINK_MAX_FAILURES}/hour"
LINK_FAILURE_SCOPE = "permis:link_failures:user"


class LinkError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _count_failure(user) -> None:
    # The moving-window limiter, not the default cache: it degrades to
    # per-process counting when Redis is down instead of raising (issue 16).
    ratelimit.hit(LINK_FAILURE_SCOPE, str(user.pk), LINK_FAILURES)


def link_licence_record(*, user, neph: str, birth_date: date, request=None) -> LicenceHolderLink:
    """Attach `user` to the SNPC file whose NEPH and date of birth they give.

    Failures are journaled and counted (5 per hour per account) so the pair
    cannot be guessed by trying; a wrong number and a wrong date give the
    same answer. Not atomic as a whole: a refusal's audit event must stay."""
    if ratelimit.remaining(LINK_FAILURE_SCOPE, str(user.pk), LINK_FAILURES) <= 0:
        raise LinkError(_("Trop de tentatives infructueuses. Réessayez dans une heure."))
    if LicenceHolderLink.objects.filter(user=user).exists():
        raise LinkError(_("Votre compte est déjà rattaché à un dossier de permis de conduire."))
    neph = compact(neph)
    if not neph_is_valid(neph):
        raise LinkError(_("Le numéro de dossier (NEPH) doit comporter 12 chiffres et être valide."))
    record = LicenceRecord.objects.filter(neph=neph, birth_date=birth_date).first()
    if record is None:
        _count_failure(user)
        record_event(
            PermisEvent.RATTACHEMENT_REFUSED,
            actor=user,
            request=request,
            object_type="permis.licencerecord",
            data={"neph": neph, "motif": "inconnu"},
        )
        raise LinkError(
            _(
                "Aucun dossier ne correspond à ce numéro et à cette date de naissance. "
                "Vérifiez le numéro indiqué sur votre permis (rubrique 5)."
            )
        )
    try:
        with transaction.atomic():
            link = LicenceHolderLink.objects.create(user=user, record=record)
            record_event(
                PermisEvent.RATTACHEMENT_CREATED,
                actor=user,
                request=request,
                target=record,
                data={"neph": record.neph},
            )
    except IntegrityError:
        record_event(
            PermisEvent.RATTACHEMENT_REFUSED,
            actor=user,
            request=request,
            target=record,
            data={"neph": neph, "motif": "deja_rattache"},
        )
        raise LinkError(
            _(
                "Ce dossier est déjà rattaché à un autre compte. Si vous pensez qu’il "
                "s’agit d’une erreur, contactez l’agence."
            )
        )
    return link


@transaction.atomic
def unlink_licence_record(*, user, actor=None, request=None) -> None:
    link = LicenceHolderLink.objects.select_related("record").filter(user=user).first()
    if link is None:
        return
    neph = link.record.neph
    link.delete()
    record_event(
        PermisEvent.RATTACHEMENT_DELETED,
        actor=actor or user,
        request=request,
        target=link.record,
        data={"neph": neph, "compte": user.pk},
    )


# --- E-photo codes -----------------------------------------------------------


@transaction.atomic
def register_photo(
    *, photographer: Photographer, actor=None, image=None, signature=None, request=None
) -> EPhoto:
    """Register a photo-signature taken by an approved photographer or booth
    and return it; give `photo.code` (or `code_display`) to the citizen."""
    if not photographer.is_active:
        raise ValidationError(_("L’agrément de ce photographe n’est plus en cours."))
    for _attempt in range(5):
        code = new_ephoto_code()
        if not EPhoto.objects.filter(code=code).exists():
            break
    photo = EPhoto(photographer=photographer, code=code)
    if image is not None:
        photo.image = image
    if signature is not None:
        photo.signature = signature
    if settings.EPHOTO_LOCAL_SPECIMENS:
        # No real photographers' service here: answer as it does, with images.
        attach_specimens(photo)
    photo.save()
    record_event(
        PermisEvent.PHOTO_SAVED,
        actor=actor,
        request=request,
        target=photo,
        data={"agrement": photographer.approval_number},
    )
    return photo


@dataclass
class EPhotoCheck:
    ok: bool
    error: str = ""
    code: str = ""
    photo: EPhoto | None = None


def check_ephoto_code(code: str | None, *, at=None) -> EPhotoCheck:
    """Is this code usable now? (format and checksum, known, not expired,
    not used). The error is the French message to show next to the field."""
    at = at or timezone.now()
    normalised = compact(code)
    if not normalised:
        return EPhotoCheck(False, _("Saisissez votre code photo numérique."))
    if not ephoto_code_is_well_formed(normalised):
        return EPhotoCheck(
            False,
            _(
                "Ce code photo numérique n’est pas valide : il comporte 22 caractères "
                "(chiffres et lettres). Vérifiez votre saisie."
            ),
            normalised,
        )
    photo = EPhoto.objects.select_related("photographer").filter(code=normalised).first()
    if photo is None:
        return EPhotoCheck(
            False,
            _("Ce code photo numérique est inconnu. Vérifiez le code remis par le photographe."),
            normalised,
        )
    if photo.used_at is not None:
        return EPhotoCheck(
            False,
            _("Ce code photo numérique a déjà été utilisé pour une autre demande."),
            normalised,
            photo,
        )
    if photo.expires_at <= at:
        return EPhotoCheck(
            False,
            _(
                "Ce code photo numérique a expiré le %(date)s (validité 6 mois) : "
                "faites réaliser une nouvelle photo."
            )
            % {"date": timezone.localtime(photo.expires_at).strftime("%d/%m/%Y")},
            normalised,
            photo,
        )
    return EPhotoCheck(True, "", normalised, photo)


@transaction.atomic
def use_ephoto_code(*, code: str, holder, reference: str = "", request=None) -> EPhoto:
    """Consume the code for one request (`holder`: the citizen's account;
    `reference`: the request number). Raises ValidationError with the French
    message if the code is not usable; two concurrent calls cannot both
    succeed (conditional update)."""
    check = check_ephoto_code(code)
    if not check.ok:
        raise ValidationError(check.error, code="ephoto")
    now = timezone.now()
    updated = EPhoto.objects.filter(
        pk=check.photo.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, used_by=holder, used_reference=reference)
    if updated != 1:
        raise ValidationError(
            _("Ce code photo numérique a déjà été utilisé pour une autre demande."),
            code="ephoto",
        )
    photo = EPhoto.objects.get(pk=check.photo.pk)
    record_event(
        PermisEvent.PHOTO_USED,
        actor=holder,
        request=request,
        target=photo,
        data={"demande": reference},
    )
    return photo
