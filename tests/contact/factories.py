import factory
from django.utils import timezone

from titres.contact import services
from titres.contact.enums import AuthorKind, Category, TicketKind, TicketStatus
from titres.contact.models import Ticket, TicketMessage
from titres.core import numbering


class TicketFactory(factory.django.DjangoModelFactory):
    """A request sent without an account. States: `complaint=True`,
    `status=...`, `user=...`."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    class Params:
        complaint = factory.Trait(
            kind=TicketKind.RECLAMATION,
            event_on=factory.LazyAttribute(lambda o: o.received_on),
        )

    number = factory.LazyFunction(lambda: numbering.generate(prefix="26", length=8))
    kind = TicketKind.DEMANDE
    category = Category.COMPTE
    status = TicketStatus.NOUVEAU
    subject = "Je ne reçois pas le courriel d’activation"
    email = factory.Sequence(lambda n: f"expediteur{n}@exemple.fr")
    name = "Dominique Durand"
    access_token_hash = factory.LazyFunction(lambda: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6")
    received_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyAttribute(lambda o: services.due_date(o.kind, o.received_on))

    @factory.post_generation
    def first_message(self, create, extracted, **kwargs):
        if create:
            TicketMessage.objects.create(
                ticket=self, author_kind=AuthorKind.USAGER, body=extracted or "Bonjour, ..."
            )
