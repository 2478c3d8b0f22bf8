"""Calls to the partner API as a partner's server makes them."""

from .factories import RECIPIENT

TRACE = {"recipient": RECIPIENT, "context": "Contrôle", "object": "Dossier 2026-0042"}


def get(client, url, secret, query=None, **headers):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    values = {**TRACE, **(query or {})}
    return client.get(url, {k: v for k, v in values.items() if v is not None}, **auth, **headers)


def error(response):
    [item] = response.json()["errors"]
    return item


def logged_calls():
    """The call log as a reader sees it: the rows still queued in Redis
    (REDIS_URL set, calllog.py) written first."""
    from titres.partenaires import calllog
    from titres.partenaires.models import CallLog

    calllog.flush()
    return CallLog.objects
