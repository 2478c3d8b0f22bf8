"""Operators edit the pages in /gestion/ through the services: each edit is
journaled; other profiles cannot edit."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import verified_login
from tests.accounts.factories import UserFactory
from titres.core.models import AuditEvent
from titres.infos import services
from titres.infos.enums import ArticleKind, ArticleStatus, Topic
from titres.infos.models import Article

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

ADD = "/gestion/infos/article/add/"


def events():
    return list(
        AuditEvent.objects.filter(event__startswith="infos.")
        .order_by("pk")
        .values_list("event", flat=True)
    )


def form(**overrides):
    data = {
        "kind": "faq",
        "status": "brouillon",
        "slug": "nouvelle-question",
        "topic": "permis",
        "procedure_code": "",
        "title_fr": "Nouvelle question",
        "title_en": "",
        "summary_fr": "",
        "summary_en": "",
        "body_fr": "Réponse.",
        "body_en": "",
        "position": "0",
        "published_at_0": "",
        "published_at_1": "",
    }
    data.update(overrides)
    return data


def test_operator_creates_a_draft_then_publishes_it_each_step_journaled(operator):
    client = Client()
    verified_login(client, operator)
    response = client.post(ADD, form())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.status == ArticleStatus.BROUILLON and article.published_at is None
    response = client.post(
        "/gestion/infos/article/", {"action": "publish", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLIE and article.published_at is not None
    change = f"/gestion/infos/article/{article.pk}/change/"
    data = form(status="publie", body_fr="Réponse corrigée.")
    local = timezone.localtime(article.published_at)
    data.update(
        published_at_0=local.strftime("%d/%m/%Y"), published_at_1=local.strftime("%H:%M:%S")
    )
    assert client.post(change, data).status_code == 302
    client.post(
        "/gestion/infos/article/", {"action": "unpublish", "_selected_action": [article.pk]}
    )
    assert events() == [
        "infos.article_created",
        "infos.article_published",
        "infos.article_changed",
        "infos.article_unpublished",
    ]
    changed = AuditEvent.objects.filter(event="infos.article_changed").get()
    assert changed.data["fields"] == ["body_fr"]
    assert changed.actor_id == operator.pk


def test_the_admin_preview_renders_the_markdown_escaped(operator):
    article = ArticleFactory(body_fr="**gras** <script>x</script>")
    client = Client()
    verified_login(client, operator)
    page = client.get(f"/gestion/infos/article/{article.pk}/change/").content.decode()
    assert "<strong>gras</strong> &lt;script&gt;x&lt;/script&gt;" in page


@pytest.mark.parametrize("profile", ["anonyme", "usager", "agent", "staff_sans_droit"])
def test_other_profiles_cannot_edit(profile):
    client = Client()
    if profile == "usager":
        client.force_login(UserFactory())
    elif profile == "agent":
        from tests.instruction.factories import AgentMembershipFactory

        client.force_login(AgentMembershipFactory().user)
    elif profile == "staff_sans_droit":
        verified_login(client, UserFactory(is_staff=True))
    response = client.post(ADD, form())
    # Refused: sent to a sign-in page (not staff) or 403 (staff without the right).
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "connexion" in response["Location"] or "/gestion/login/" in response["Location"]
    assert not Article.objects.exists()
    assert events() == []


def test_a_guide_needs_a_real_procedure_and_a_question_its_topic():
    with pytest.raises(ValidationError) as error:
        services.create_article(
            actor=None, kind=ArticleKind.GUIDE, slug="g", title_fr="G", body_fr="x"
        )
    assert error.value.message_dict["procedure_code"] == [
        "Choisissez la démarche que le guide explique."
    ]
    with pytest.raises(ValidationError) as error:
        services.create_article(
            actor=None,
            kind=ArticleKind.GUIDE,
            slug="g",
            procedure_code="inconnue",
            title_fr="G",
            body_fr="x",
        )
    assert error.value.message_dict["procedure_code"] == ["Cette démarche n’existe pas."]
    with pytest.raises(ValidationError) as error:
        services.create_article(
            actor=None, kind=ArticleKind.FAQ, slug="q", title_fr="Q", body_fr="x"
        )
    assert error.value.message_dict["topic"] == ["Choisissez le thème de la question."]
    assert events() == []


def test_an_edit_that_changes_nothing_writes_no_event():
    article = services.create_article(
        actor=None, kind=ArticleKind.FAQ, topic=Topic.PERMIS, slug="q", title_fr="Q", body_fr="x"
    )
    services.update_article(article=article, actor=None, title_fr="Q")
    assert events() == ["infos.article_created"]


def test_demo_content_loads_once_and_is_public(client):
    from titres.infos import demo

    demo.load()
    count = Article.objects.count()
    demo.load()
    assert Article.objects.count() == count == len(demo.FAQ) + len(demo.GUIDES) + len(demo.NEWS)
    for _code, slug, *_rest in demo.GUIDES:
        assert client.get(reverse("infos:guide", args=[slug])).status_code == 200
    assert "Combien coûte une carte grise ?" in client.get(reverse("infos:faq")).content.decode()
