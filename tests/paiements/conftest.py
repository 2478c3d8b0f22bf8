import pytest


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    """The local bank notifies the portal by calling the handler directly:
    no HTTP server runs during unit tests (and SITE_URL may point at
    someone's development server)."""
    settings.PAYMENT_PROVIDER = "local"
    settings.PAYMENT_LOCAL_NOTIFY = "direct"
    settings.PAYMENT_SECRET_KEY = "cle-de-test-hmac"
    settings.PAYMENT_MERCHANT_ID = "032060919912121"
