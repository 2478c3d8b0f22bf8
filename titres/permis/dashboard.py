from .matching import licence_refusal_reason
from .selectors import linked_record


def dashboard_section(request):
    """Points balance when the account is attached to its SNPC file, an
    invitation to attach it otherwise (private individuals only)."""
    user = request.user
    if not user.is_authenticated:
        return None
    record = linked_record(user)
    if record is None and getattr(user, "profile", "particulier") != "particulier":
        return None
    return {
        "template": "permis/_dashboard.html",
        "record": record,
        "state_alert": licence_refusal_reason(record),
    }
