from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.procedures import samples
from titres.contact import services
from titres.contact.enums import Category, TicketStatus
from titres.contact.models import Ticket

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "subject": "Question sur mon compte",
        "message": "Comment changer mon adresse e-mail ?",
        "email": "anonyme@exemple.fr",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def write_url(category=Category.COMPTE):
    return reverse("contact:write", args=[category])


def test_home_lists_the_categories_and_the_commitment(client):
    page = client.get(reverse("contact:home")).content.decode()
    assert "quinze (15) jours ouvrés" in page
    for category in (Category.COMPTE, Category.DEMARCHE, Category.PAIEMENT, Category.AUTRE):
        assert write_url(category) in page
    assert write_url(Category.MAIRIE) in page
    assert reverse("contact:complaint") in page


def test_town_hall_category_is_the_town_hall_form(client):
    response = client.get(write_url(Category.MAIRIE))
    assert response.status_code == 302 and response.url == reverse("accounts:mairie_request")


def test_unknown_category_is_404(client):
    assert client.get(write_url("inconnue")).status_code == 404


def test_anonymous_send_shows_the_number_once(client):
    response = client.post(write_url(), form())
    ticket = Ticket.objects.get()
    assert response.url == reverse("contact:sent", args=[ticket.number])
    page = client.get(response.url).content.decode()
    assert ticket.display_number in page
    # Another browser does not see the page of a number it did not send.
    from django.test import Client

    assert Client().get(response.url).status_code == 404


def test_anonymous_form_requires_email_and_captcha(client):
    response = client.post(write_url(), form(email="", captcha_1="FAUX"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["Indiquez votre adresse e-mail pour recevoir la réponse."]
    assert errors["captcha"] == ["Le code de sécurité saisi est incorrect. Veuillez recommencer."]
    assert not Ticket.objects.exists()
    # Nothing typed is lost.
    assert "Comment changer mon adresse e-mail ?" in response.content.decode()


def test_signed_in_form_has_no_email_nor_captcha(client, citizen):
    page = client.get(write_url())
    assert "email" not in page.context["form"].fields
    assert "captcha" not in page.context["form"].fields
    response = client.post(write_url(), form(email=None, captcha_0=None, captcha_1=None))
    ticket = Ticket.objects.get()
    assert ticket.user == citizen
    assert response.url == reverse("contact:sent", args=[ticket.number])


def test_procedure_category_requires_a_valid_number(client):
    response = client.post(write_url(Category.DEMARCHE), form(demarche_number="1234"))
    assert response.context["form"].errors["demarche_number"] == [
        "Ce numéro de démarche n’est pas valide : vérifiez-le sur votre récapitulatif."
    ]
    response = client.post(write_url(Category.DEMARCHE), form())
    assert response.context["form"].errors["demarche_number"] == ["Ce champ est obligatoire."]


def test_a_refused_attachment_is_shown_on_its_field(client):
    upload = SimpleUploadedFile("note.txt", b"du texte brut")
    response = client.post(write_url(), form(attachment=upload))
    assert response.context["form"].errors["attachment"] == [
        "Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF."
    ]
    assert not Ticket.objects.exists()


def test_an_attachment_is_accepted(client):
    upload = SimpleUploadedFile("capture.png", samples.png())
    client.post(write_url(), form(attachment=upload))
    assert Ticket.objects.get().attachment_name == "capture.png"


def test_an_infected_attachment_reshows_the_form_with_everything_typed(client, clamd):
    from tests.procedures.fake_clamd import infected_png

    typed = form(
        subject="Mon timbre fiscal",
        message="Le paiement a été débité deux fois, voici le relevé.",
        email="releve@exemple.fr",
        name="Dominique Durand",
    )
    upload = SimpleUploadedFile("releve.png", infected_png())
    response = client.post(write_url(Category.PAIEMENT), {**typed, "attachment": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"] == [
        "« Pièce jointe » : un fichier infecté a été supprimé, déposez-en un autre."
    ]
    assert not Ticket.objects.exists()
    page = response.content.decode()
    assert "« Pièce jointe » : un fichier infecté a été supprimé" in page
    for value in ("Mon timbre fiscal", "Le paiement a été débité deux fois", "releve@exemple.fr"):
        assert value in page
    assert 'value="Dominique Durand"' in page
    # A new CAPTCHA is asked, then the message goes through without the file.
    response = client.post(write_url(Category.PAIEMENT), typed)
    ticket = Ticket.objects.get()
    assert response.url == reverse("contact:sent", args=[ticket.number])
    assert ticket.subject == "Mon timbre fiscal" and not ticket.attachment


def test_an_infected_attachment_keeps_the_complaint_typed(client, clamd):
    from tests.procedures.fake_clamd import infected_png

    event_on = (timezone.localdate() - timedelta(days=2)).isoformat()
    data = form(subject="Titre perdu", message="Mon titre n’est jamais arrivé.")
    data.update(event_on=event_on, attachment=SimpleUploadedFile("preuve.png", infected_png()))
    response = client.post(reverse("contact:complaint"), data)
    assert response.context["form"].errors["attachment"] == [
        "« Pièce jointe » : un fichier infecté a été supprimé, déposez-en un autre."
    ]
    page = response.content.decode()
    assert f'value="{event_on}"' in page and "Mon titre n’est jamais arrivé." in page
    assert not Ticket.objects.exists()


def test_sending_is_rate_limited_per_address(client):
    for index in range(5):
        client.post(write_url(), form(subject=f"Question {index}"))
    response = client.post(write_url(), form(subject="Une de trop"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [views_rate_limited()]
    assert Ticket.objects.count() == 5


def views_rate_limited():
    from titres.contact.views import rate_limited

    return rate_limited()


def test_complaint_form_shows_the_30_day_notice_and_flags_late(client):
    page = client.get(reverse("contact:complaint")).content.decode()
    assert "trente (30) jours suivant l’événement" in page
    event_on = timezone.localdate() - timedelta(days=45)
    response = client.post(
        reverse("contact:complaint"),
        form(subject="Retard", message="Toujours rien.", event_on=event_on.isoformat()),
    )
    ticket = Ticket.objects.get()
    assert ticket.is_late
    page = client.get(response.url).content.decode()
    assert "signalée comme tardive" in page


def test_complaint_about_the_future_is_refused_on_its_field(client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("contact:complaint"), form(event_on=tomorrow.isoformat()))
    assert response.context["form"].errors["event_on"] == [
        "La date de l’événement ne peut pas être dans le futur."
    ]


# --- reading the answers ----------------------------------------------------------


def test_signed_in_user_reads_and_follows_up_their_ticket(client, citizen, operator):
    ticket = TicketFactory(user=citizen, email="")
    services.answer(ticket=ticket, actor=operator, body="Voici la réponse de l’ANTS.")
    listing = client.get(reverse("contact:my_tickets")).content.decode()
    assert ticket.display_number in listing
    url = reverse("contact:my_ticket", args=[ticket.number])
    page = client.get(url).content.decode()
    assert "Voici la réponse de l’ANTS." in page and "Répondu" in page
    response = client.post(url, {"body": "Merci, et pour mon adresse ?"})
    assert response.url == url
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.EN_COURS


def test_another_users_ticket_is_404(client, citizen):
    ticket = TicketFactory(user=UserFactory())
    url = reverse("contact:my_ticket", args=[ticket.number])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "intrusion"}).status_code == 404


def test_my_tickets_requires_sign_in(client):
    response = client.get(reverse("contact:my_tickets"))
    assert response.status_code == 302 and "/compte/connexion/" in response.url


def test_anonymous_reads_with_the_link_only(client, operator):
    ticket = TicketFactory()
    services.answer(ticket=ticket, actor=operator, body="Réponse par lien.")
    good = reverse("contact:ticket_by_link", args=[ticket.number, services.access_token(ticket)])
    assert "Réponse par lien." in client.get(good).content.decode()
    bad = reverse("contact:ticket_by_link", args=[ticket.number, "0" * 64])
    assert client.get(bad).status_code == 404
    other = TicketFactory()
    swapped = reverse("contact:ticket_by_link", args=[other.number, services.access_token(ticket)])
    assert client.get(swapped).status_code == 404


def test_an_account_ticket_does_not_open_through_a_link(client):
    ticket = TicketFactory(user=UserFactory(), access_token_hash="sel")
    url = reverse("contact:ticket_by_link", args=[ticket.number, services.access_token(ticket)])
    assert client.get(url).status_code == 404


def test_a_closed_ticket_takes_no_follow_up(client, citizen):
    ticket = TicketFactory(user=citizen, status=TicketStatus.CLOS)
    url = reverse("contact:my_ticket", args=[ticket.number])
    assert "Cette demande est close" in client.get(url).content.decode()
    assert client.post(url, {"body": "Encore"}).status_code == 404


def test_empty_follow_up_keeps_the_page_with_the_message(client, citizen):
    ticket = TicketFactory(user=citizen)
    response = client.post(reverse("contact:my_ticket", args=[ticket.number]), {"body": ""})
    assert response.context["form"].errors["body"] == ["Écrivez votre message avant de l’envoyer."]
