"""The coordination API served to third-party booking software.

Shaped after the ANTS "hub RDV" API: the vendor's token in the
`X-HUB-RDV-AUTH-TOKEN` header, parameters in the query string,
`GET status`, `POST appointments`, `DELETE appointments`. Every error is
JSON: {"detail": "<French message>", "code": "<machine code>"}."""

import datetime
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from titres.core.ratelimit import hit

from .. import conf
from ..errors import RegisterError
from ..selectors import register_status
from ..services import appointments as services
from ..services.vendors import authenticate
from ..site import management_url

TOKEN_HEADER = "X-HUB-RDV-AUTH-TOKEN"  # noqa: S105 - a header name, not a secret
MAX_IDS = 20
REFUSAL_STATUS = {
    "invalid_application_id": 400,
    "missing_application_id": 400,
    "too_many_application_ids": 400,
    "unknown": 404,
    "already_booked": 409,
    "consumed": 409,
    "declared": 409,
    "expired": 409,
}


def error(status: int, code: str, detail: str, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, **extra}, status=status)


def _authenticated(view):
    def wrapper(request, *args, **kwargs):
        vendor = authenticate(request.headers.get(TOKEN_HEADER, ""))
        if vendor is None:
            return error(
                401,
                "unauthorized",
                _("Jeton absent ou invalide (en-tête %(header)s).") % {"header": TOKEN_HEADER},
            )
        if not hit("identite-api", str(vendor.pk), conf.api_rate_limit()):
            return error(429, "rate_limited", _("Trop d’appels : réessayez dans une minute."))
        request.vendor = vendor
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(login_not_required(wrapper))


def _appointment_json(appointment) -> dict:
    if appointment.meeting_point_id:
        point, point_id = appointment.meeting_point.name, str(appointment.meeting_point_id)
        url = appointment.management_url or management_url(appointment)
    else:
        point, point_id = appointment.external_meeting_point, appointment.external_meeting_point_id
        url = appointment.management_url
    return {
        "meeting_point": point,
        "meeting_point_id": point_id,
        "appointment_date": timezone.localtime(appointment.starts_at).isoformat(),
        "management_url": url,
    }


def _refusal(exc: RegisterError) -> JsonResponse:
    extra = {}
    if exc.appointments:
        extra["appointments"] = [_appointment_json(a) for a in exc.appointments]
    return error(REFUSAL_STATUS.get(exc.code, 400), exc.code, exc.message, **extra)


def _parse_date(value: str):
    value = (value or "").strip()[:40]
    parsed = parse_datetime(value.replace(" ", "+")) if value else None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _parse_appointment_params(request, *, need_url: bool):
    params = request.GET
    number = params.get("application_id", "")
    point = params.get("meeting_point", "").strip()
    point_id = params.get("meeting_point_id", "").strip()
    starts_at = _parse_date(params.get("appointment_date", ""))
    url = params.get("management_url", "").strip()
    problems = []
    if not number:
        problems.append(_("application_id est obligatoire."))
    if not point or len(point) > 200 or len(point_id) > 100:
        problems.append(_("meeting_point est obligatoire (200 caractères au plus)."))
    if starts_at is None:
        problems.append(
            _("appointment_date est obligatoire, au format ISO 8601 (2026-12-24T09:30:00+01:00).")
        )
    if need_url:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc or len(url) > 500:
            problems.append(
                _("management_url doit être une adresse https (500 caractères au plus).")
            )
    return number, point, point_id, starts_at, url, problems


@_authenticated
def status(request):
    """GET /status?application_ids=A&application_ids=B (or A,B)."""
    if request.method != "GET":
        return error(405, "method_not_allowed", _("Méthode non autorisée."))
    raw = [part for value in request.GET.getlist("application_ids") for part in value.split(",")]
    raw = [value.strip() for value in raw if value.strip()]
    if not raw:
        return error(
            400, "missing_application_id", _("Indiquez au moins un numéro (application_ids).")
        )
    if len(raw) > MAX_IDS:
        return error(
            400,
            "too_many_application_ids",
            _("Au plus %(max)s numéros par appel.") % {"max": MAX_IDS},
        )
    try:
        cleaned = services.clean_numbers(raw)
    except RegisterError as exc:
        return _refusal(exc)
    statuses = register_status(cleaned)
    return JsonResponse(
        {
            number: {
                "status": entry["status"],
                "appointments": [_appointment_json(a) for a in entry["appointments"]],
            }
            for number, entry in statuses.items()
        }
    )


@_authenticated
def appointments(request):
    """POST /appointments?application_id=&meeting_point=&meeting_point_id=
    &appointment_date=&management_url= ; DELETE /appointments?application_id=
    &meeting_point=&appointment_date="""
    if request.method not in ("POST", "DELETE"):
        return error(405, "method_not_allowed", _("Méthode non autorisée."))
    creating = request.method == "POST"
    number, point, point_id, starts_at, url, problems = _parse_appointment_params(
        request, need_url=creating
    )
    if problems:
        return error(400, "invalid_parameters", " ".join(str(p) for p in problems))
    try:
        if creating:
            if starts_at < timezone.now() - datetime.timedelta(hours=1):
                return error(400, "past_appointment", _("appointment_date est dans le passé."))
            services.declare_vendor_appointment(
                vendor=request.vendor,
                number=number,
                meeting_point_name=point,
                meeting_point_id=point_id,
                starts_at=starts_at,
                management_url=url,
            )
            return JsonResponse({"success": True}, status=201)
        count = services.delete_vendor_appointment(
            vendor=request.vendor, number=number, meeting_point_name=point, starts_at=starts_at
        )
    except RegisterError as exc:
        return _refusal(exc)
    if not count:
        return error(
            404,
            "appointment_not_found",
            _("Aucun rendez-vous actif de votre logiciel ne correspond à ces paramètres."),
        )
    return JsonResponse({"rowcount": count})
