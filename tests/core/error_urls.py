"""The project's URLs plus views that fail, for tests/core/test_error_pages.py."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.urls import path

from titres.urls import handler500  # noqa: F401
from titres.urls import urlpatterns as project_urlpatterns


@login_not_required
def database_down(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


@login_not_required
def redis_down(request):
    from redis.exceptions import ConnectionError

    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")


@login_not_required
def bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("boom/db", database_down),
    path("boom/redis", redis_down),
    path("boom/bug", bug),
    *project_urlpatterns,
]
