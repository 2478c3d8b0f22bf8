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
