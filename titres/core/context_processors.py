from django.conf import settings


def portal(request):
    return {
        "PORTAL_NAME": "Titres",
        "DEV_MAILBOX_ENABLED": settings.DEV_MAILBOX_ENABLED,
        "DEVIDP_ENABLED": settings.DEVIDP_ENABLED,
        "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
    }
