from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Login required everywhere unless a view says otherwise.

    Third-party URL sets that must stay public (CAPTCHA images and audio,
    the OIDC endpoints of the local identity provider) are listed by prefix
    in `PUBLIC_PATH_PREFIXES`, because their views cannot be decorated."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(tuple(settings.PUBLIC_PATH_PREFIXES)):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
