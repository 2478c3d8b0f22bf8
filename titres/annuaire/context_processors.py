from django.utils.functional import SimpleLazyObject

from . import announcements


def notices(request):
    """`portal_notices`: the planned maintenance announcements every page
    shows; `home_announcements`: all current ones, for the home page. Lazy:
    a page that does not show them reads nothing."""
    user = getattr(request, "user", None)
    return {
        "portal_notices": SimpleLazyObject(
            lambda: announcements.current_for(user, maintenance_only=True)
        ),
        "home_announcements": SimpleLazyObject(lambda: announcements.current_for(user)),
    }
