"""The back office as an agent uses it (issue 14): the viewer reaches every
corner of a zoomed or rotated page and shows no inert buttons; an SNPC
difference needs the agent's decision; labels, not codes; the e-photo
specimen where the photo goes. And two citizen pages at 375 px."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def login_agent(live_server):
    from django.conf import settings

    from tests.instruction.conftest import verified_client

    def login(page, user):
        cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return login


def _agent(authority):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.instruction.factories import AgentMembershipFactory, UserFactory

    user = AgentMembershipFactory(
        authority=authority, user=UserFactory(username="alice.agent", first_name="Alice")
    ).user
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


def _file_with_difference_and_photo(authority):
    from tests.instruction.factories import DocumentFactory, PermisDemarcheFactory, answers
    from tests.permis.factories import LicenceRecordFactory, PhotographerFactory
    from titres.permis.services import register_photo

    record = LicenceRecordFactory(first_names="Thomas")
    photo = register_photo(photographer=PhotographerFactory())
    demarche = PermisDemarcheFactory(
        submitted=True,
        authority=authority,
        answers=answers(neph=record.neph, photo={"code_ephoto": photo.code}),
    )
    DocumentFactory(demarche=demarche, label="Justificatif de domicile")
    return demarche


def _corner_reachable(page):
    """Scrolled to the top-left, the page's top-left corner is inside the frame."""
    return page.evaluate(
        """() => {
          const frame = document.querySelector('.titres-viewer__frame');
          frame.scrollLeft = 0; frame.scrollTop = 0;
          const f = frame.getBoundingClientRect();
          const i = document.getElementById('viewer-image').getBoundingClientRect();
          return i.left >= f.left - 1 && i.top >= f.top - 1;
        }"""
    )


def test_viewer_decision_labels_and_photo(page, login_agent, check_a11y):
    from tests.procedures.factories import AuthorityFactory
    from titres.procedures.enums import Status

    authority = AuthorityFactory(code="543")
    demarche = _file_with_difference_and_photo(authority)
    login_agent(page, _agent(authority))

    page.goto(f"/agent/dossiers/{demarche.number}/")
    expect(page.locator("h1")).to_contain_text(demarche.display_number)
    check_a11y(page)

    # The e-photo specimen is shown (the local photo service answers with images).
    expect(page.get_by_role("img", name="Photo d’identité du demandeur")).to_be_visible()
    page.wait_for_function("() => document.querySelector('.titres-photo img').naturalWidth > 0")

    # A single-page document: no inert page buttons.
    expect(page.get_by_role("button", name="Page suivante")).to_be_hidden()
    expect(page.get_by_role("button", name="Zoom +")).to_be_visible()
    page.wait_for_function("() => document.getElementById('viewer-image').naturalWidth > 0")
    # Zoomed to 200 % then rotated: the top-left corner can still be reached.
    for _ in range(4):
        page.get_by_role("button", name="Zoom +").click()
    expect(page.locator("#viewer-status")).to_contain_text("zoom 200 %")
    assert _corner_reachable(page)
    page.get_by_role("button", name="Pivoter à droite").click()
    assert _corner_reachable(page)
    page.get_by_role("button", name="Pivoter à droite").click()
    assert _corner_reachable(page)
    check_a11y(page)

    # The difference is never validated in one click.
    form = page.locator("#validation-registre")
    form.get_by_role("button", name="Valider la demande").click()
    expect(
        page.get_by_text("Des différences avec le dossier SNPC ne sont pas résolues")
    ).to_be_visible()
    page.locator("#validation-registre").get_by_text(
        "Les données du dossier SNPC sont exactes", exact=False
    ).click()
    page.locator("#validation-registre").get_by_role("button", name="Valider la demande").click()
    expect(page.get_by_text("La demande est validée.")).to_be_visible()
    check_a11y(page)
    expect(
        page.get_by_text(
            "Différences avec le dossier SNPC vérifiées (Prénoms) : données du dossier SNPC retenues."
        )
    ).to_be_visible()
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE


def test_menu_skip_link_and_signup_at_375(page, check_a11y):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/compte/inscription/")
    check_a11y(page)
    # A particulier sees no empty "Informations professionnelles" heading.
    expect(page.get_by_text("Informations professionnelles (selon le profil)")).to_be_hidden()
    # Below 992 px the "Menu" skip link opens the menu and goes into it.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    menu_link = page.locator(".fr-skiplinks a[href='#header-navigation']")
    expect(menu_link).to_be_focused()
    page.keyboard.press("Enter")
    navigation = page.locator("#header-navigation")
    expect(navigation).to_be_visible()
    # DSFR opens the menu as a modal and focuses it once its opening has run.
    page.wait_for_function(
        "() => document.getElementById('header-navigation').contains(document.activeElement)",
        timeout=5000,
    )


def test_photographers_table_scrolls_with_the_keyboard_at_375(page, check_a11y):
    from tests.permis.factories import PhotographerFactory

    for index in range(3):
        PhotographerFactory(name=f"Studio photo du centre-ville numéro {index}")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/permis/photographes/")
    check_a11y(page)
    container = page.locator(".fr-table__container").first
    expect(container).to_have_attribute("tabindex", "0")
    container.focus()
    before = container.evaluate("(el) => el.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wide = container.evaluate("(el) => el.scrollWidth > el.clientWidth")
    if wide:
        # The browser may scroll smoothly: wait for the keys to take effect
        # instead of reading scrollLeft at once (it read 0 on a loaded machine).
        container.evaluate(
            """(el, before) => new Promise((resolve, reject) => {
                const start = performance.now();
                (function poll() {
                    if (el.scrollLeft > before) return resolve();
                    if (performance.now() - start > 5000) return reject(new Error("no scroll"));
                    requestAnimationFrame(poll);
                })();
            })""",
            before,
        )
