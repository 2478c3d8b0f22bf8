"""WSGI entry and URLconf of `make bench-pages`: the portal exactly as
`titres.wsgi` serves it, plus one bare view at /banc/nue/ (the baseline:
one indexed query, a plain HttpResponse, through the same middleware).

Only the bench's gunicorn loads this module (`pages_app:application`);
the portal's own URLs never contain the bare view."""

import os

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titres.settings")

BARE_PATH = "banc/nue/"


@login_not_required
def bare(request):
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(pk=1).values_list("pk", flat=True).first()
    return HttpResponse(f"ok {found}", content_type="text/plain")


def _application():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    wsgi = get_wsgi_application()
    settings.ROOT_URLCONF = __name__  # after setup, before the first request
    return wsgi


application = _application()  # before include(): titres.urls needs the apps loaded
urlpatterns = [path(BARE_PATH, bare), path("", include("titres.urls"))]
handler500 = "titres.core.errors.server_error"
