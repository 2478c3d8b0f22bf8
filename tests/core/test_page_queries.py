"""Queries of the main pages, pinned (issue 17: pages close to bare Django).

Each count is the whole request (session, user, terms, second factor, the
page's own reads) and must not grow with the rows listed: a query per row
would show up here before it shows in `make bench-pages`. When a page
legitimately needs one more query, change its number here and say why in
the commit."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import TermsVersionFactory, UserFactory
from tests.instruction.factories import AgentMembershipFactory, AuthorityFactory, answers
from tests.procedures.factories import DemarcheFactory
from titres.instruction.search import index_demarche
from titres.permis.procedure import CODE as PERMIS
from titres.procedures.enums import Status

pytestmark = pytest.mark.django_db

# Queries once the server is warm: none at all for an anonymous visitor.
ANONYMOUS = {"core:home": 0, "accounts:login": 0, "paiements:verifier": 0}


@pytest.fixture(autouse=True)
def _terms(db):
    """Current terms published (and accepted by UserFactory), as in production."""
    return TermsVersionFactory()


def warm(client, url):
    """Two requests first: the session renewed, the site configuration and
    the terms version read and kept (what a running server has)."""
    client.get(url)
    client.get(url)


def test_anonymous_pages(client, django_assert_num_queries):
    for name, count in ANONYMOUS.items():
        url = reverse(name)
        warm(client, url)
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def citizen_with(client, files: int):
    user = UserFactory()
    authority = AuthorityFactory()
    for index in range(files):
        DemarcheFactory(
            owner=user,
            procedure_code=PERMIS,
            answers=answers(),
            status=[Status.EN_COURS, Status.VALIDEE, Status.TERMINEE][index % 3],
            submitted_at=timezone.now() - timedelta(days=index),
            authority=authority,
        )
    client.force_login(user)
    return user


@pytest.mark.parametrize("files", [2, 20])
def test_mes_demarches(client, django_assert_num_queries, files):
    citizen_with(client, files)
    url = reverse("procedures:list")
    warm(client, url)
    # user, page of files: no COUNT when they fit on the page (titres.core.pagination)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_mes_demarches_over_more_pages(client, django_assert_num_queries):
    citizen_with(client, 25)
    url = reverse("procedures:list")
    warm(client, url)
    # user, page of files, count (there is a page 2)
    with django_assert_num_queries(3):
        content = client.get(url).content.decode()
    assert "Page suivante" in content
    with django_assert_num_queries(2):  # the last page: its length is the count
        content = client.get(url + "?page=2").content.decode()
    assert "Page précédente" in content and "Page suivante" not in content


def test_wizard_step(client, django_assert_num_queries):
    user = citizen_with(client, 0)
    draft = DemarcheFactory(owner=user, procedure_code=PERMIS, answers=answers())
    url = reverse("procedures:step", args=[draft.number, "etat_civil"])
    warm(client, url)
    # user, the draft, its documents
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("files", [3, 60])
@pytest.mark.parametrize("staff", [False, True])
def test_agent_work_list(client, django_assert_num_queries, files, staff):
    membership = AgentMembershipFactory(user=UserFactory(is_staff=staff))
    agent = membership.user
    if staff:
        # A staff agent holding a global permission (PermissionPolicy): the
        # list no longer asks for its permissions (two queries, issue 17).
        agent.user_permissions.add(Permission.objects.get(codename="instruire_demarche"))
    device = TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    for index in range(files):
        index_demarche(
            DemarcheFactory(
                procedure_code=PERMIS,
                answers=answers(nom=f"NOM{index}"),
                status=Status.EN_COURS,
                submitted_at=timezone.now() - timedelta(days=index),
                authority=membership.authority,
            )
        )
    client.force_login(agent)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    url = reverse("instruction:worklist", args=[membership.authority.code])
    warm(client, url)
    # user, second factor, memberships (read once for the agent check, the
    # authority, the role and the switcher), tab counts, page of files (the
    # tab's count is the paginator's: no COUNT of its own)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
