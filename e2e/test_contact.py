"""Browser journeys of "Nous contacter" (issue 12): a person without an
account and a signed-in citizen send a message and see its number; an
operator answers in the queue; each reads the answer (through the e-mailed
link, or in "Mes demandes"). A late complaint is flagged, not refused."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def verified_login_as(live_server):
    """Like `login_as`, with the second factor done (operators)."""
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(page, user):
        device = TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
        client = Client()
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return login


def _operator_answers(browser, live_server, verified_login_as, ticket, text, check_a11y=None):
    from tests.accounts.factories import UserFactory

    operator = UserFactory(operator=True, username=f"operatrice-{ticket.number.lower()}")
    page = verified_login_as(browser.new_page(base_url=live_server.url, locale="fr-FR"), operator)
    page.goto("/gestion/contact/ticket/")
    expect(page.locator("#result_list")).to_contain_text(ticket.display_number)
    page.get_by_role("link", name=ticket.display_number).click()
    expect(page.locator("body")).to_contain_text(ticket.subject)
    page.get_by_label(re.compile("Réponse")).fill(text)
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator(".messagelist")).to_contain_text("Réponse enregistrée et envoyée")
    page.goto("/gestion/contact/ticket/statistiques/")
    expect(page.locator("#contact-statistics")).to_contain_text("100 %")
    page.close()


def test_anonymous_message_answered_and_read_through_the_link(
    page, browser, live_server, check_a11y, mailbox, verified_login_as
):
    from titres.contact.models import Ticket

    page.goto("/")
    page.locator("footer").get_by_role("link", name="Nous contacter").click()
    expect(page.locator("h1")).to_have_text("Nous contacter")
    check_a11y(page)
    page.get_by_role("link", name="Mon compte", exact=True).click()
    expect(page.locator("h1")).to_have_text("Nous contacter")
    check_a11y(page)
    page.get_by_label("Objet").fill("Courriel d’activation")
    page.get_by_label("Votre message").fill("Je n’ai pas reçu le courriel d’activation.")
    page.get_by_label("Code de sécurité").fill("PASSED")
    page.get_by_role("button", name="Envoyer").click()
    # Refused without the e-mail address: nothing typed is lost.
    expect(page.locator(".fr-error-text").first).to_contain_text(
        "Indiquez votre adresse e-mail pour recevoir la réponse."
    )
    expect(page.get_by_label("Votre message")).to_have_value(
        "Je n’ai pas reçu le courriel d’activation."
    )
    check_a11y(page)
    page.get_by_label("Adresse e-mail").fill("dominique@exemple.fr")
    page.get_by_label("Code de sécurité").fill("PASSED")
    page.get_by_role("button", name="Envoyer").click()
    ticket = Ticket.objects.get()
    expect(page.locator(".fr-alert--success")).to_contain_text(ticket.display_number)
    check_a11y(page)

    mail = mailbox.last_to("dominique@exemple.fr")
    assert "quinze (15) jours ouvrés" in mail.body
    link = re.search(r"http\S+/nous-contacter/suivi/\S+/", mail.body).group(0)

    _operator_answers(browser, live_server, verified_login_as, ticket, "Votre compte est activé.")

    page.goto(link.replace(live_server.url, ""))
    expect(page.locator(".contact-thread")).to_contain_text("Votre compte est activé.")
    expect(page.locator(".fr-badge").first).to_have_text("Répondu")
    check_a11y(page)


def test_signed_in_message_answered_and_read_in_my_requests(
    page, browser, live_server, check_a11y, login_as, verified_login_as
):
    from tests.accounts.factories import UserFactory
    from titres.contact.models import Ticket

    citizen = UserFactory(email="camille@exemple.fr")
    login_as(page, citizen)
    page.goto("/nous-contacter/")
    page.get_by_role("link", name="Un paiement ou un timbre fiscal électronique").click()
    expect(page.get_by_label("Adresse e-mail")).to_have_count(0)
    page.get_by_label("Objet").fill("Timbre non reçu")
    page.get_by_label("Votre message").fill("J’ai payé mais je n’ai pas reçu mon timbre.")
    page.get_by_role("button", name="Envoyer").click()
    ticket = Ticket.objects.get()
    expect(page.locator(".fr-alert--success")).to_contain_text(ticket.display_number)
    check_a11y(page)

    _operator_answers(browser, live_server, verified_login_as, ticket, "Le timbre est renvoyé.")

    page.goto("/nous-contacter/mes-demandes/")
    expect(page.locator("table")).to_contain_text(ticket.display_number)
    check_a11y(page)
    page.get_by_role("link", name=ticket.display_number).click()
    expect(page.locator(".contact-thread")).to_contain_text("Le timbre est renvoyé.")
    check_a11y(page)
    page.get_by_label("Compléter votre demande").fill("Merci, bien reçu.")
    page.get_by_role("button", name="Envoyer ce complément").click()
    expect(page.locator(".fr-alert--success, .fr-messages-group")).to_contain_text(
        "Votre message est ajouté à la demande."
    )
    expect(page.locator(".fr-badge").first).to_have_text("En cours")


def test_late_complaint_is_flagged_not_refused(page, check_a11y):
    page.goto("/nous-contacter/reclamation/")
    expect(page.locator(".fr-notice")).to_contain_text("trente (30) jours")
    check_a11y(page)
    page.get_by_label("Objet").fill("Permis jamais reçu")
    event_on = timezone.localdate() - timedelta(days=45)
    page.get_by_label("Date de l’événement").fill(event_on.isoformat())
    page.get_by_label("Les erreurs, manquements ou retards constatés").fill(
        "Mon permis devait arriver il y a six semaines."
    )
    page.get_by_label("Adresse e-mail").fill("plainte@exemple.fr")
    page.get_by_label("Code de sécurité").fill("PASSED")
    page.get_by_role("button", name="Envoyer la réclamation").click()
    expect(page.locator("h1")).to_have_text("Réclamation envoyée")
    expect(page.locator(".fr-alert--warning")).to_contain_text("signalée comme tardive")
    check_a11y(page)
