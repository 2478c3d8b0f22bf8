import pytest


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    """The local bank and its keys (tests/conftest.py already makes it
    notify the portal in-process)."""
    settings.PAYMENT_PROVIDER = "local"
    settings.PAYMENT_SECRET_KEY = "cle-de-test-hmac"
    settings.PAYMENT_MERCHANT_ID = "032060919912121"
