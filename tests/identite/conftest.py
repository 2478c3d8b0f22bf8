import pytest


@pytest.fixture(scope="session", autouse=True)
def _communes_reference_data(django_db_setup, django_db_blocker):
    """The data migration loads the communes; this also covers runs with
    --nomigrations (tables built from the models, no data)."""
    from titres.permis.communes import ensure_reference_data

    with django_db_blocker.unblock():
        ensure_reference_data()
