"""The operators' contact screens (/gestion/contact/ticket/), signed in as
the demo operator on the demo tickets: the queue with an overdue request
highlighted and its filter, a ticket page (thread, attachment, assignment,
answer), the deadline statistics and the complaint received by registered
letter (refused empty, then recorded). axe-core and the page checks on each
screen, at 1280 and 375 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def demo_operator_page(page, live_server):
    """The demo operator (`operateur`, titres/accounts/demo.py) signed in
    with its second factor done, as the operator journeys of e2e/ do."""
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from titres.accounts import demo as accounts_demo
    from titres.accounts.models import User

    accounts_demo.load()
    operator = User.objects.get(username="operateur")
    client = Client()
    client.force_login(operator)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=operator).persistent_id
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


def _overdue_ticket_with_attachment():
    """A request sent six weeks ago with a screenshot, still unanswered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.procedures import samples
    from titres.contact import services
    from titres.contact.enums import Category

    ticket = services.open_ticket(
        category=Category.PAIEMENT,
        subject="Timbre fiscal payé deux fois pour le même passeport",
        message="Le montant a été débité deux fois sur mon compte, voici le relevé.",
        name="Dominique Durand",
        email="dominique.durand@exemple.fr",
        attachment=SimpleUploadedFile("releve-bancaire-mars.png", samples.png()),
    )
    received = timezone.localdate() - timedelta(days=40)
    ticket.received_on = received
    ticket.due_on = services.due_date(ticket.kind, received)
    ticket.save(update_fields=["received_on", "due_on"])
    return ticket


def test_operator_works_the_contact_queue(demo_operator_page, check_a11y, mailbox):
    from titres.contact import demo as contact_demo
    from titres.contact.models import Ticket

    page = demo_operator_page
    contact_demo.load()
    ticket = _overdue_ticket_with_attachment()

    page.goto("/gestion/contact/ticket/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(Ticket.objects.count())
    # Ordered by due date: the overdue request comes first, in red.
    expect(rows.first).to_contain_text(ticket.display_number)
    expect(rows.first.locator(".contact-overdue")).to_have_text(
        f"{date_format(ticket.due_on, 'DATE_FORMAT')} — en retard"
    )
    check_a11y(page)

    page.locator("#changelist-filter").get_by_role("link", name="Dépassée").click()
    expect(rows).to_have_count(1)
    check_a11y(page)

    rows.first.get_by_role("link", name=ticket.display_number).click()
    expect(page.locator(".errornote").first).to_contain_text("Réponse en retard")
    expect(
        page.get_by_role("link", name=re.compile("Télécharger la pièce jointe"))
    ).to_contain_text("releve-bancaire-mars.png")
    expect(page.locator("fieldset", has_text="Échanges")).to_contain_text(
        "débité deux fois sur mon compte"
    )
    check_a11y(page)

    page.get_by_label("Attribuer à").select_option(label="Olivia Opératrice (operateur)")
    page.get_by_role("button", name="Attribuer").click()
    expect(page.locator(".messagelist")).to_contain_text("Attribution enregistrée.")
    page.get_by_label(re.compile("Réponse")).fill(
        "Bonjour, le second paiement vous sera remboursé sous dix jours."
    )
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Réponse enregistrée et envoyée à dominique.durand@exemple.fr."
    )
    expect(page.locator("fieldset", has_text="Échanges")).to_contain_text(
        "remboursé sous dix jours"
    )
    check_a11y(page)
    assert "remboursé sous dix jours" in mailbox.last_to("dominique.durand@exemple.fr").body

    page.get_by_role("link", name="Délais de réponse").first.click()
    expect(page.locator("#contact-statistics")).to_contain_text("Demande de renseignement")
    check_a11y(page)

    page.goto("/gestion/contact/ticket/")
    page.get_by_role("link", name="Réclamation reçue par courrier").click()
    expect(page.locator("h1")).to_contain_text("lettre recommandée")
    check_a11y(page)
    today = timezone.localdate()
    page.get_by_label("Reçue le").fill((today - timedelta(days=2)).isoformat())
    # An event after the letter arrived: refused, nothing typed is lost.
    page.get_by_label("Date de l’événement").fill(today.isoformat())
    page.get_by_label("Nom et prénom").fill("Jean-Baptiste Martin-Lefèvre")
    page.get_by_label("Adresse postale").fill("12 rue des Tanneurs\n08000 Charleville-Mézières")
    page.get_by_label("Objet").fill("Carte grise reçue avec une erreur sur le nom")
    page.get_by_label("Contenu de la réclamation").fill("Lettre recommandée du 1er du mois.")
    page.get_by_role("button", name="Enregistrer la réclamation").click()
    expect(page.locator(".errorlist").first).to_contain_text(
        "La date de l’événement ne peut pas être postérieure à la réception du courrier."
    )
    expect(page.get_by_label("Nom et prénom")).to_have_value("Jean-Baptiste Martin-Lefèvre")
    check_a11y(page)
    page.get_by_label("Date de l’événement").fill((today - timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Enregistrer la réclamation").click()
    expect(page.locator(".messagelist")).to_contain_text("enregistrée ; réponse due le")
    expect(page.locator(".errornote")).to_contain_text("Réclamation tardive")
    check_a11y(page)
