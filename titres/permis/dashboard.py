from .matching import licence_refusal_reason
from .selectors import linked_record


def dashboard_section(request):
    """Points balance when the account is attached to its SNPC file, an
    invitation to attach it otherwise (private individuals); for a driving
    school, the requests it filed for its candidates."""
    user = request.user
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", "particulier")
    if profile == "auto_ecole":
        return {"template": "permis/_dashboard_auto_ecole.html"}
    if profile == "centre_sensibilisation":
        return {"template": "permis/_dashboard_cssr.html"}
    record = linked_record(user)
    if record is None and profile != "particulier":
        return None
    return {
        "template": "permis/_dashboard.html",
        "record": record,
        "state_alert": licence_refusal_reason(record),
    }
