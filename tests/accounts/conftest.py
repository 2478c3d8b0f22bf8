import pytest

from .factories import TermsVersionFactory


@pytest.fixture
def terms(db):
    return TermsVersionFactory(version=1)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (e-mails) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def form_errors(response, field="__all__"):
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


def assert_form_error(response, field, message):
    assert response.status_code == 200
    errors = form_errors(response, field)
    assert message in errors, errors
    assert message in response.content.decode()


def totp_code(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verified_login(client, user):
    """Signed in and verified with a second factor, as the OTP admin login
    leaves the session (django_otp.login stores the device id)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="Test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device
