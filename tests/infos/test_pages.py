"""The information pages as the public reads them: rendering, Markdown
sanitising, drafts hidden, search, the footer's legal pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.infos.enums import ArticleKind, ArticleStatus, Topic

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_faq_groups_published_questions_by_topic_and_renders_markdown(client):
    ArticleFactory(
        published=True,
        topic=Topic.TIMBRES,
        slug="acheter",
        title_fr="Comment acheter un timbre ?",
        body_fr="Choisissez **Timbres électroniques**.\n\n- carte\n- courriel",
    )
    page = client.get(reverse("infos:faq")).content.decode()
    assert "Timbres électroniques et paiement</h2>" in page
    assert "Comment acheter un timbre ?" in page
    assert "<strong>Timbres électroniques</strong>" in page
    assert "<li>carte</li>" in page
    assert 'id="acheter"' in page


def test_a_script_in_markdown_is_shown_as_text_never_run(client):
    guide = ArticleFactory(
        kind=ArticleKind.GUIDE,
        published=True,
        body_fr=(
            "Avant <script>alert('x')</script> après\n\n"
            '<img src=x onerror="alert(1)">\n\n'
            "[cliquez](javascript:alert(1)) et [service-public](https://www.service-public.fr)"
        ),
    )
    page = client.get(reverse("infos:guide", args=[guide.slug])).content.decode()
    body = page[page.index('class="infos-prose"') :]
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body or "&lt;script&gt;" in body
    assert "<img" not in body
    assert 'href="javascript:' not in body
    assert '<a href="https://www.service-public.fr">service-public</a>' in body


def test_a_draft_or_a_future_publication_is_not_public(client):
    draft = ArticleFactory(kind=ArticleKind.GUIDE, title_fr="Guide en préparation")
    scheduled = ArticleFactory(
        kind=ArticleKind.ACTUALITE,
        status=ArticleStatus.PUBLIE,
        published_at=timezone.now() + timezone.timedelta(days=2),
        title_fr="Annonce de demain",
    )
    faq_draft = ArticleFactory(title_fr="Question pas prête")
    assert client.get(reverse("infos:guide", args=[draft.slug])).status_code == 404
    assert client.get(reverse("infos:news_item", args=[scheduled.slug])).status_code == 404
    assert "Guide en préparation" not in client.get(reverse("infos:guides")).content.decode()
    assert "Annonce de demain" not in client.get(reverse("infos:news")).content.decode()
    assert faq_draft.title_fr not in client.get(reverse("infos:faq")).content.decode()
    found = client.get(reverse("infos:search"), {"q": "préparation demain prête"})
    assert "0 résultat" in found.content.decode()


def test_guide_shows_fees_from_the_tariff_data_and_its_cerfa(client):
    guide = ArticleFactory(
        kind=ArticleKind.GUIDE, published=True, procedure_code="identite-predemande"
    )
    page = client.get(reverse("infos:guide", args=[guide.slug])).content.decode()
    from titres.paiements.enums import STAMP_AMOUNTS_CENTS, StampPurpose
    from titres.paiements.models import format_amount

    assert format_amount(STAMP_AMOUNTS_CENTS[StampPurpose.PASSEPORT_MAJEUR]) in page
    assert "Carte nationale d’identité, autres cas" in page
    assert "n° 12100" in page
    assert reverse("procedures:start", args=["identite-predemande"]) in page


def _guide_forms(client, code) -> list[str]:
    import re

    guide = ArticleFactory(kind=ArticleKind.GUIDE, published=True, procedure_code=code)
    page = client.get(reverse("infos:guide", args=[guide.slug])).content.decode()
    block = page[page.index("Formulaires CERFA de cette démarche") :]
    return re.findall(r"<li>n° (\d+) — ", block[: block.index("</ul>")])


@pytest.mark.parametrize(
    ("code", "numbers"),
    [
        # service-public.fr F1726: 13750 (« duplicata » box) and, after a loss
        # or a theft, the declaration 13753; never the new-vehicle form 13749.
        ("vehicule-duplicata", ["13750", "13753", "13757"]),
        ("vehicule-immatriculation-neuf", ["13749", "13757"]),
        ("vehicule-changement-titulaire", ["13750", "15776", "13757"]),
        ("vehicule-changement-adresse", ["13750", "13757"]),
    ],
)
def test_each_vehicle_guide_lists_the_forms_of_its_own_procedure(client, code, numbers):
    assert _guide_forms(client, code) == numbers


def test_licence_and_identity_guides_list_the_forms_of_their_category(client):
    assert _guide_forms(client, "permis-inscription") == [
        "14866",
        "14948",
        "14880",
        "14882",
    ]
    assert _guide_forms(client, "identite-predemande") == ["12100", "12101", "14011"]


def test_vehicle_guide_lists_each_region_rate_from_the_tax_table(client):
    from titres.vehicules import taxes

    guide = ArticleFactory(
        kind=ArticleKind.GUIDE, published=True, procedure_code="vehicule-changement-titulaire"
    )
    page = client.get(reverse("infos:guide", args=[guide.slug])).content.decode()
    for region in taxes.table().regions.values():
        assert region.name in page
    assert "Taxe fixe (gestion)" in page


def test_english_is_shown_when_written_else_the_french_with_its_lang(client):
    ArticleFactory(
        published=True, slug="en", title_fr="Question FR", title_en="Question EN", body_en="Answer"
    )
    ArticleFactory(published=True, slug="fr-only", title_fr="Seulement en français")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("infos:faq")).content.decode()
    assert "Question EN" in page and "Question FR" not in page
    assert 'lang="fr">Seulement en français' in page


def test_news_are_paginated_newest_first(client):
    now = timezone.now()
    for day in range(12):
        ArticleFactory(
            kind=ArticleKind.ACTUALITE,
            status=ArticleStatus.PUBLIE,
            published_at=now - timezone.timedelta(days=day + 1),
            title_fr=f"Actualité du jour {day}",
        )
    first = client.get(reverse("infos:news")).content.decode()
    assert first.index("Actualité du jour 0") < first.index("Actualité du jour 9")
    assert "Actualité du jour 10" not in first
    second = client.get(reverse("infos:news"), {"page": 2}).content.decode()
    assert "Actualité du jour 11" in second
    assert client.get(reverse("infos:news"), {"page": "9999"}).status_code == 200


def test_legal_pages_are_linked_from_every_footer(client):
    home = client.get("/").content.decode()
    for name in ("infos:legal", "infos:privacy", "infos:cookies", "infos:sitemap"):
        assert f'href="{reverse(name)}"' in home, name
        assert client.get(reverse(name)).status_code == 200
    nav = home[
        home.index('id="header-navigation"') : home.index(
            "</nav>", home.index('id="header-navigation"')
        )
    ]
    for name in ("infos:faq", "infos:guides", "infos:cerfa"):
        assert f'href="{reverse(name)}"' in nav, name


def _services_menu(page: str) -> str:
    start = page.index('id="menu-services"')
    return page[start : page.index("</ul>", start)]


def test_services_menu_offers_the_administrative_situation_certificate(client):
    from django.urls import resolve

    url = reverse("vehicules:situation")
    menu = _services_menu(client.get("/").content.decode())
    assert f'href="{url}">Certificat de situation administrative</a>' in menu
    assert resolve(url).url_name == "situation"
    # Public: no account is needed to reach it, and the menu marks it current.
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{url}" aria-current="page">' in _services_menu(page)
    assert 'aria-controls="menu-services" aria-current="true"' in page


def test_services_menu_is_translated(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert ">Certificate of administrative situation</a>" in _services_menu(page)


def test_privacy_page_lists_the_retention_rules_the_portal_applies(client):
    from titres.core.data_retention import rules

    page = client.get(reverse("infos:privacy")).content.decode()
    from django.utils.html import escape

    for rule in rules():
        assert escape(rule.duration) in page, rule.key


def test_cookies_page_names_the_cookies_the_settings_set(client, settings):
    settings.SESSION_COOKIE_NAME = "titres_session"
    settings.SESSION_COOKIE_AGE = 20 * 60
    page = client.get(reverse("infos:cookies")).content.decode()
    assert "<code>titres_session</code>" in page
    assert "20 minutes" in page
    assert f"<code>{settings.CSRF_COOKIE_NAME}</code>" in page
    assert f"<code>{settings.LANGUAGE_COOKIE_NAME}</code>" in page


def test_cerfa_page_lists_the_forms_and_flags_the_unverified(client):
    from titres.infos.cerfa import FORMS

    page = client.get(reverse("infos:cerfa")).content.decode()
    for number in ("13750", "13749", "13753", "15776", "13757", "14866", "14948", "14880"):
        assert f"<td data-raw-ok>{number}</td>" in page
    unverified = [form for form in FORMS if not form.verified]
    assert page.count("intitulé à confirmer</p>") == len(unverified)


def test_accessibility_statement_is_honest_about_the_audit(client):
    page = client.get(reverse("core:accessibility")).content.decode()
    assert "non conforme" in page
    assert "partiellement conforme" not in page
    assert "Aucun audit RGAA" in page
