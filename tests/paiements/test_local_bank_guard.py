"""The local demonstration bank never runs on a production server."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, clear_url_caches, resolve

from titres.paiements import checks, conf

REFUSAL_START = (
    "La banque locale de démonstration (PAYMENT_PROVIDER=local) est le prestataire de "
    "paiement alors que DEBUG est désactivé"
)


@pytest.fixture
def no_env_flag(monkeypatch):
    monkeypatch.delenv("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", raising=False)
    monkeypatch.delenv("PAYMENT_PROVIDER", raising=False)


def test_ready_refuses_local_bank_without_debug(settings, no_env_flag, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(conf, "STARTED_WITH_DEBUG", conf.STARTED_WITH_DEBUG)
    with pytest.raises(ImproperlyConfigured) as error:
        apps.get_app_config("paiements").ready()
    assert str(error.value).startswith(REFUSAL_START)
    assert "PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG=1" in str(error.value)


def test_system_check_is_an_error(settings, no_env_flag):
    settings.DEBUG = False
    messages = checks.payment_provider_check(None)
    assert [m.id for m in messages] == ["paiements.E001"]
    assert messages[0].msg.startswith(REFUSAL_START)


@pytest.mark.parametrize(
    "overrides",
    [
        {"DEBUG": True},
        {"DEBUG": False, "PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG": True},
        {"DEBUG": False, "PAYMENT_PROVIDER": "sogecommerce"},
    ],
)
def test_allowed_configurations_start(settings, no_env_flag, monkeypatch, overrides):
    for name, value in overrides.items():
        setattr(settings, name, value)
    monkeypatch.setattr(conf, "STARTED_WITH_DEBUG", conf.STARTED_WITH_DEBUG)
    apps.get_app_config("paiements").ready()
    assert not [m for m in checks.payment_provider_check(None) if m.id == "paiements.E001"]


def test_allow_flag_read_from_environment(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", "1")
    assert conf.allow_local_without_debug() is True
    assert conf.local_provider_refusal() == ""
    monkeypatch.setenv("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", "0")
    assert conf.local_provider_refusal().startswith(REFUSAL_START)


def _bank_routes(monkeypatch, *, started_with_debug, allow):
    import titres.paiements.urls as payment_urls
    import titres.urls as root_urls

    monkeypatch.setattr(conf, "STARTED_WITH_DEBUG", started_with_debug)
    monkeypatch.setenv("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", "1" if allow else "0")
    importlib.reload(payment_urls)
    importlib.reload(root_urls)
    clear_url_caches()
    try:
        resolve("/timbres/banque/jeton/")
    except Resolver404:
        return False
    return True


@pytest.fixture
def restore_urls(monkeypatch):
    yield
    import titres.paiements.urls as payment_urls
    import titres.urls as root_urls

    monkeypatch.undo()
    importlib.reload(payment_urls)
    importlib.reload(root_urls)
    clear_url_caches()


def test_bank_pages_not_mounted_without_debug_or_flag(monkeypatch, restore_urls):
    assert _bank_routes(monkeypatch, started_with_debug=False, allow=False) is False
    # The shop itself stays routed.
    assert resolve("/timbres/verifier/").url_name == "verifier"


def test_bank_pages_mounted_with_debug_or_flag(monkeypatch, restore_urls):
    assert _bank_routes(monkeypatch, started_with_debug=True, allow=False) is True
    assert _bank_routes(monkeypatch, started_with_debug=False, allow=True) is True
