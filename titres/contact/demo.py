"""Demonstration tickets for the operators' queue (/gestion/contact/ticket/):
a question of the demo citizen, answered; a question sent without an
account; a late complaint received by registered letter. Created once
(recognised by their subjects), through the services like real ones."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from titres.accounts.models import User
from titres.core.demo import DemoCredential

from . import services
from .enums import Category
from .models import Ticket

SUBJECTS = {
    "citizen": "Démo : changer l’adresse e-mail de mon compte",
    "anonymous": "Démo : délai de fabrication d’une carte grise",
    "letter": "Démo : réclamation reçue par courrier",
}


def load() -> list[DemoCredential]:
    if not settings.DEBUG or Ticket.objects.filter(subject__in=SUBJECTS.values()).exists():
        return []
    citizen = User.objects.filter(username="demo-particulier").first()
    operator = User.objects.filter(username="operateur").first()
    if citizen is not None:
        ticket = services.open_ticket(
            category=Category.COMPTE,
            subject=SUBJECTS["citizen"],
            message="Bonjour, comment changer l’adresse e-mail de mon compte ?",
            user=citizen,
        )
        if operator is not None:
            services.answer(
                ticket=ticket,
                actor=operator,
                body="Bonjour, depuis « Mon compte », choisissez « Modifier mes informations ».",
            )
    services.open_ticket(
        category=Category.AUTRE,
        subject=SUBJECTS["anonymous"],
        message="Combien de temps faut-il pour recevoir une carte grise ?",
        name="Dominique Demo",
        email="dominique@demo.titres.localhost",
    )
    if operator is not None:
        today = timezone.localdate()
        services.record_letter_complaint(
            actor=operator,
            received_on=today - timedelta(days=3),
            event_on=today - timedelta(days=50),
            subject=SUBJECTS["letter"],
            message="Lettre recommandée : permis reçu avec une erreur de prénom.",
            name="Jean Démo",
            postal_address="1 place Ducale\n08000 Charleville-Mézières",
        )
    return []
