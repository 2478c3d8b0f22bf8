from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.factories import UserFactory
from tests.procedures import samples
from titres.contact import services, workdays
from titres.contact.enums import Category, Channel, TicketKind, TicketStatus
from titres.contact.models import Ticket
from titres.contact.selectors import deadline_statistics
from titres.contact.workflow import TRANSITIONS, TicketEvent
from titres.core import numbering
from titres.core.models import AuditEvent

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


def events(code):
    return AuditEvent.objects.filter(event=code)


def send(**overrides):
    fields = {
        "category": Category.COMPTE,
        "subject": "Courriel d’activation",
        "message": "Je n’ai pas reçu le courriel d’activation.",
        "email": "camille@exemple.fr",
        "name": "Camille Martin",
    }
    fields.update(overrides)
    return services.open_ticket(**fields)


# --- opening a request -----------------------------------------------------------


@freeze_time("2026-07-13 10:00:00")
def test_anonymous_request_gets_a_number_a_due_date_and_an_acknowledgement(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = send()
    assert numbering.is_valid(ticket.number)
    assert ticket.status == TicketStatus.NOUVEAU
    assert ticket.received_on == date(2026, 7, 13)
    assert ticket.due_on == workdays.add_working_days(date(2026, 7, 13), 15)
    assert ticket.messages.get().body == "Je n’ai pas reçu le courriel d’activation."
    (mail,) = mailoutbox
    assert mail.to == ["camille@exemple.fr"]
    assert ticket.display_number in mail.subject
    assert "quinze (15) jours ouvrés" in mail.body
    assert f"au plus tard le {ticket.due_on.day}" in mail.body
    assert f"/nous-contacter/suivi/{ticket.number}/{services.access_token(ticket)}/" in mail.body
    event = events("contact.ticket_opened").get()
    assert event.data["number"] == ticket.number


def test_signed_in_request_answers_to_the_account(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="compte@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = send(user=user, email="", name="")
    assert ticket.user == user and ticket.email == "" and ticket.access_token_hash == ""
    assert mailoutbox[0].to == ["compte@exemple.fr"]
    assert f"/nous-contacter/mes-demandes/{ticket.number}/" in mailoutbox[0].body
    assert not services.token_matches(ticket, services.access_token(ticket))


def test_anonymous_request_needs_an_email():
    with pytest.raises(services.ContactError) as error:
        send(email="")
    assert error.value.message == "Indiquez votre adresse e-mail pour recevoir la réponse."
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("category", [Category.MAIRIE, "inconnue"])
def test_town_halls_and_unknown_categories_are_refused_here(category):
    with pytest.raises(services.ContactError) as error:
        send(category=category)
    assert error.value.message == "Choisissez une catégorie dans la liste."


def test_procedure_number_is_kept_in_canonical_form():
    number = numbering.generate(prefix="26")
    ticket = send(category=Category.DEMARCHE, demarche_number=numbering.format_number(number))
    assert ticket.demarche_number == number


def test_the_reading_token_is_unguessable_and_bound_to_the_ticket():
    first, second = send(), send()
    assert len(services.access_token(first)) == 64
    assert services.token_matches(first, services.access_token(first))
    assert not services.token_matches(first, services.access_token(second))
    assert not services.token_matches(first, "0" * 64)


# --- attachments ------------------------------------------------------------------


def test_a_valid_attachment_is_kept_with_its_type():
    upload = SimpleUploadedFile("capture.png", samples.png(), content_type="image/png")
    ticket = send(attachment=upload)
    assert ticket.attachment.name.startswith("contact/") and ticket.attachment.name.endswith(".png")
    assert ticket.attachment_name == "capture.png"
    assert ticket.attachment_type == "image/png"


def test_a_file_that_is_not_a_document_is_refused():
    upload = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(services.ContactError) as error:
        send(attachment=upload)
    assert error.value.field == "attachment"
    assert error.value.message == (
        "Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF."
    )
    assert not Ticket.objects.exists()


def test_an_attachment_over_5_mb_is_refused():
    upload = SimpleUploadedFile("gros.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(services.ContactError) as error:
        send(attachment=upload)
    assert error.value.message == "La pièce jointe dépasse la taille maximale autorisée (5 Mo)."


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    from titres.procedures import validation

    monkeypatch.setattr(validation, "MAX_PIXELS", 100)
    upload = SimpleUploadedFile("photo.png", samples.png((40, 30)))
    with pytest.raises(services.ContactError) as error:
        send(attachment=upload)
    assert "trop grande" in error.value.message


INFECTED = "« Pièce jointe » : un fichier infecté a été supprimé, déposez-en un autre."


def test_the_attachment_goes_through_the_antivirus(clamd):
    content = samples.png()
    ticket = send(attachment=SimpleUploadedFile("capture.png", content))
    assert clamd.received == [content]
    assert ticket.attachment_type == "image/png"


def test_an_infected_attachment_is_refused_and_nothing_is_kept(clamd, mailoutbox, settings):
    from tests.procedures.fake_clamd import infected_png

    upload = SimpleUploadedFile("facture.png", infected_png(), content_type="image/png")
    with pytest.raises(services.ContactError) as error:
        send(attachment=upload)
    assert error.value.field == "attachment"
    # The engine's own refusal (titres/procedures/validation.py).
    assert error.value.message == INFECTED
    assert not Ticket.objects.exists()
    assert not events("contact.ticket_opened").exists()
    assert mailoutbox == []
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_infected_complaint_attachment_is_refused(clamd):
    from tests.procedures.fake_clamd import infected_png

    with pytest.raises(services.ContactError) as error:
        complain(
            timezone.localdate() - timedelta(days=3),
            attachment=SimpleUploadedFile("preuve.png", infected_png()),
        )
    assert error.value.message == INFECTED
    assert not Ticket.objects.exists()


def test_a_file_that_is_not_a_document_never_reaches_the_antivirus(clamd):
    with pytest.raises(services.ContactError):
        send(attachment=SimpleUploadedFile("note.txt", b"du texte brut"))
    assert clamd.received == []


def test_an_unreachable_antivirus_refuses_the_attachment(settings):
    # Fail closed, like a supporting document that stays "en analyse".
    settings.CLAMAV_URL = "tcp://127.0.0.1:1"
    settings.CLAMAV_TIMEOUT = "1"
    with pytest.raises(services.ContactError) as error:
        send(attachment=SimpleUploadedFile("capture.png", samples.png()))
    assert error.value.field == "attachment"
    assert error.value.message == (
        "« Pièce jointe » : l’analyse antivirus n’a pas pu être faite, "
        "réessayez dans quelques minutes."
    )
    assert not Ticket.objects.exists()


def test_without_antivirus_in_production_the_attachment_is_refused(settings, monkeypatch):
    from titres.procedures import conf

    settings.DEBUG = False
    settings.CLAMAV_URL = ""
    monkeypatch.delenv("PROCEDURES_ALLOW_NO_ANTIVIRUS", raising=False)
    monkeypatch.setattr(conf, "STARTED_WITH_DEBUG", False)
    with pytest.raises(services.ContactError) as error:
        send(attachment=SimpleUploadedFile("capture.png", samples.png()))
    assert "l’analyse antivirus n’a pas pu être faite" in error.value.message
    # Without an attachment the message still goes through.
    assert send().number


# --- complaints -------------------------------------------------------------------


def complain(event_on, **overrides):
    fields = {
        "subject": "Titre jamais reçu",
        "message": "Mon permis devait arriver il y a deux mois.",
        "event_on": event_on,
        "email": "plainte@exemple.fr",
    }
    fields.update(overrides)
    return services.open_complaint(**fields)


@freeze_time("2026-07-13 10:00:00")
@pytest.mark.parametrize(("days_before", "late"), [(0, False), (30, False), (31, True), (90, True)])
def test_a_complaint_after_30_days_is_flagged_not_refused(days_before, late):
    ticket = complain(date(2026, 7, 13) - timedelta(days=days_before))
    assert ticket.kind == TicketKind.RECLAMATION
    assert ticket.is_late is late
    assert ticket.due_on == date(2026, 7, 13) + timedelta(days=60)
    assert events("contact.complaint_opened").get().data["late"] is late


@freeze_time("2026-07-13 10:00:00")
def test_the_complaint_acknowledgement_states_60_days_and_the_late_notice(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complain(date(2026, 5, 1))
    body = mailoutbox[0].body
    assert "soixante (60) jours" in body
    assert "plus de 30 jours après l’événement" in body


def test_a_complaint_about_the_future_is_refused():
    with pytest.raises(services.ContactError) as error:
        complain(timezone.localdate() + timedelta(days=1))
    assert error.value.message == "La date de l’événement ne peut pas être dans le futur."


@freeze_time("2026-07-13 10:00:00")
def test_operator_records_a_complaint_received_by_registered_letter(operator):
    ticket = services.record_letter_complaint(
        actor=operator,
        received_on=date(2026, 7, 10),
        event_on=date(2026, 6, 1),
        subject="Réclamation sur un retard",
        message="Courrier scanné : ...",
        name="Jean Dupont",
        postal_address="1 rue de la Paix\n75002 Paris",
    )
    assert ticket.channel == Channel.LETTRE_RECOMMANDEE
    assert ticket.due_on == date(2026, 9, 8)  # 60 days after receipt, not after recording
    assert ticket.is_late  # 39 days between the event and the letter
    assert ticket.status == TicketStatus.EN_COURS and ticket.assigned_to == operator
    assert events("contact.complaint_letter_recorded").get().actor == operator


@pytest.mark.parametrize(
    ("received", "event", "message"),
    [
        (1, None, "La date de réception ne peut pas être dans le futur."),
        (
            -5,
            -2,
            "La date de l’événement ne peut pas être postérieure à la réception du courrier.",
        ),
    ],
)
def test_letter_complaint_dates_are_checked(operator, received, event, message):
    today = timezone.localdate()
    with pytest.raises(services.ContactError) as error:
        services.record_letter_complaint(
            actor=operator,
            received_on=today + timedelta(days=received),
            event_on=today + timedelta(days=event) if event is not None else None,
            subject="Objet",
            message="Texte",
            name="Jean Dupont",
            postal_address="Paris",
        )
    assert error.value.message == message


# --- transitions ------------------------------------------------------------------

DO = {
    TicketEvent.PRENDRE_EN_CHARGE: lambda t, op: services.take(ticket=t, actor=op),
    TicketEvent.REPONDRE: lambda t, op: services.answer(ticket=t, actor=op, body="Voici."),
    TicketEvent.RELANCER: lambda t, op: services.user_reply(ticket=t, body="Et encore ?"),
    TicketEvent.CLORE: lambda t, op: services.close(ticket=t, actor=op),
    TicketEvent.ROUVRIR: lambda t, op: services.reopen(ticket=t, actor=op),
}


@pytest.mark.parametrize(("source", "event"), list(TRANSITIONS))
def test_every_allowed_transition(operator, source, event):
    ticket = TicketFactory(status=source)
    DO[event](ticket, operator)
    ticket.refresh_from_db()
    expected = TRANSITIONS[(source, event)][0]
    assert ticket.status == expected
    entry = events("contact.ticket_transition").get()
    assert entry.data == {
        "number": ticket.number,
        "from": source,
        "to": expected,
        "event": event,
    }
    assert (ticket.closed_at is not None) is (expected == TicketStatus.CLOS)


REFUSED = [
    (status, event)
    for status in TicketStatus
    for event in TicketEvent
    if (status, event) not in TRANSITIONS
]


@pytest.mark.parametrize(("source", "event"), REFUSED)
def test_every_other_transition_is_refused(operator, source, event):
    ticket = TicketFactory(status=source)
    with pytest.raises(services.ContactError) as error:
        DO[event](ticket, operator)
    ticket.refresh_from_db()
    assert ticket.status == source
    assert not events("contact.ticket_transition").exists()
    assert error.value.message in (
        f"Action impossible : la demande est au statut « {TicketStatus(source).label} ».",
        "Cette demande est close : envoyez une nouvelle demande avec le formulaire.",
    )


def test_answer_is_emailed_in_the_thread_and_counts_for_the_deadline(
    operator, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.answer(ticket=ticket, actor=operator, body="  Votre compte est actif. ")
    ticket.refresh_from_db()
    assert message.body == "Votre compte est actif." and message.emailed_to == ticket.email
    assert ticket.answered_at is not None and ticket.answered_in_time is True
    assert ticket.assigned_to == operator
    (mail,) = mailoutbox
    assert mail.to == [ticket.email]
    assert "Votre compte est actif." in mail.body
    assert services.access_token(ticket) in mail.body
    assert events("contact.ticket_answered").get().data["in_time"] is True


def test_an_empty_answer_is_refused(operator):
    ticket = TicketFactory()
    with pytest.raises(services.ContactError) as error:
        services.answer(ticket=ticket, actor=operator, body="   ")
    assert error.value.message == "Écrivez la réponse avant de l’envoyer."


def test_an_empty_follow_up_is_refused():
    with pytest.raises(services.ContactError) as error:
        services.user_reply(ticket=TicketFactory(), body=" ")
    assert error.value.message == "Écrivez votre message avant de l’envoyer."


def test_reopening_clears_the_closing_date(operator):
    ticket = TicketFactory(status=TicketStatus.CLOS, closed_at=timezone.now())
    services.reopen(ticket=ticket, actor=operator)
    ticket.refresh_from_db()
    assert ticket.closed_at is None


# --- assignment -------------------------------------------------------------------


def test_assign_to_another_operator_is_journaled(operator):
    other = UserFactory(operator=True, username="collegue")
    ticket = TicketFactory()
    services.assign(ticket=ticket, assignee=other, actor=operator)
    ticket.refresh_from_db()
    assert ticket.assigned_to == other
    assert events("contact.ticket_assigned").get().data["to"] == "collegue"


def test_only_operators_can_be_assigned(operator):
    with pytest.raises(services.ContactError) as error:
        services.assign(ticket=TicketFactory(), assignee=UserFactory(), actor=operator)
    assert error.value.message == "Une demande ne peut être attribuée qu’à un opérateur."


def test_a_closed_ticket_cannot_be_assigned(operator):
    with pytest.raises(services.ContactError) as error:
        services.assign(
            ticket=TicketFactory(status=TicketStatus.CLOS), assignee=operator, actor=operator
        )
    assert error.value.message == "Une demande close ne peut pas être attribuée."


# --- deadlines and statistics -------------------------------------------------------


def test_overdue_is_an_open_ticket_past_its_due_date():
    today = timezone.localdate()
    late = TicketFactory(due_on=today - timedelta(days=1))
    TicketFactory(due_on=today)  # due today: not yet late
    TicketFactory(due_on=today - timedelta(days=3), status=TicketStatus.REPONDU)
    assert list(Ticket.objects.overdue()) == [late]
    assert late.is_overdue()


def test_statistics_of_answers_within_the_deadline():
    now = timezone.now()
    today = timezone.localdate()
    TicketFactory(answered_at=now, due_on=today, status=TicketStatus.REPONDU)
    TicketFactory(answered_at=now, due_on=today - timedelta(days=2), status=TicketStatus.CLOS)
    TicketFactory(due_on=today - timedelta(days=1))  # open and overdue
    TicketFactory(complaint=True, answered_at=now, status=TicketStatus.REPONDU)
    requests, complaints = deadline_statistics()
    assert (requests.received, requests.answered, requests.answered_in_time) == (3, 2, 1)
    assert (requests.open, requests.overdue, requests.in_time_rate) == (1, 1, 50)
    assert (complaints.received, complaints.answered_in_time, complaints.in_time_rate) == (
        1,
        1,
        100,
    )


# --- the town-hall request is a ticket too ---------------------------------------


def test_a_town_hall_request_opens_a_ticket_and_its_handling_closes_it(operator):
    from tests.accounts.factories import MairieAccountRequestFactory
    from titres.accounts.services.mairies import refuse_mairie_request

    mairie_request = MairieAccountRequestFactory()
    ticket = Ticket.objects.get(mairie_request=mairie_request)
    assert ticket.category == Category.MAIRIE and ticket.email == mairie_request.email
    assert ticket.status == TicketStatus.NOUVEAU
    assert events("contact.mairie_ticket_opened").count() == 1
    refuse_mairie_request(mairie_request=mairie_request, actor=operator)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOS
