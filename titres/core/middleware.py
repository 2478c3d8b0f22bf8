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


class FrenchFirstLocaleMiddleware:
    """French unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language;
    a State service speaks French first, so only the explicit choice (the
    language cookie set by the switch in the footer) changes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreByDefaultMiddleware:
    """`Cache-Control: no-store` on every response that does not set its own.

    Nearly every page shows personal data (a citizen's file, a licence
    record, the agents' work list, search results, history); a browser or a
    shared proxy must not keep a copy of any of them. A view that may be
    cached (static files are served before this, by WhiteNoise) says so with
    its own Cache-Control header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
