"""Access tokens the local FranceConnect provider (titres.devidp; the
`provider` fixture in conftest.py serves it over real HTTP) issues to a
partner's service, for the `…/france_connect` calls."""

import datetime as dt
import secrets

from django.utils import timezone

from titres.devidp.models import DemoCitizen
from titres.franceconnect.conf import DEFAULT_CLIENT_ID

from .helpers import get


def fc_token(slug="angela-dubois", *, scope="openid identite_pivot", lifetime=60):
    """An access token the local provider issued to a partner's service
    after the citizen signed in with FranceConnect."""
    from oauth2_provider.models import AccessToken, Application

    citizen = DemoCitizen.objects.get(slug=slug)
    return AccessToken.objects.create(
        user=citizen.user,
        application=Application.objects.get(client_id=DEFAULT_CLIENT_ID),
        token=secrets.token_urlsafe(30),
        expires=timezone.now() + dt.timedelta(seconds=lifetime),
        scope=scope,
    ).token


def fc_get(client, url, secret, fc=None):
    headers = {"HTTP_X_FRANCECONNECT_OAUTH": fc} if fc is not None else {}
    return get(client, url, secret, **headers)
