"""The vehicle side of a new vehicle's registration: its taxes and their
payment (the fields `changement.payment` expects of a PAYABLE record), and
what the registry became at submission (the vehicle, its new number, the
CPI). The certificate of conformity's data and the client stay in the
démarche's answers until then."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NewRegistration(models.Model):
    demarche = models.OneToOneField(
        "procedures.Demarche", on_delete=models.PROTECT, related_name="immatriculation_neuf"
    )
    # Created at submission: a draft has no vehicle in the registry yet.
    vehicle = models.ForeignKey(
        "vehicules.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="new_registrations",
    )
    taxes = models.JSONField(_("taxes"), default=dict, blank=True)
    amount_cents = models.PositiveIntegerField(_("montant des taxes (centimes)"), default=0)
    payment_attempt = models.PositiveSmallIntegerField(default=0)
    payment_reference = models.CharField(_("référence du paiement"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("remboursé le"), null=True, blank=True)
    new_plate = models.CharField(_("immatriculation attribuée"), max_length=12, blank=True)
    cpi_number = models.CharField(_("numéro du CPI"), max_length=20, blank=True)
    cpi_valid_until = models.DateField(_("CPI valable jusqu’au"), null=True, blank=True)
    registered_at = models.DateTimeField(_("inscrit au SIV le"), null=True, blank=True)
    # A rejected file (neuf/decisions.py): the CPI withdrawn, and the
    # registration annulled unless the registry changed since.
    withdrawn_at = models.DateTimeField(_("demande retirée le"), null=True, blank=True)
    registration_cancelled = models.BooleanField(_("immatriculation annulée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("immatriculation d’un véhicule neuf")
        verbose_name_plural = _("immatriculations de véhicules neufs")

    def __str__(self):
        return f"{self.new_plate or '—'} — {self.demarche}"

    @property
    def payment_subject(self) -> str:
        """Named on the bank's page: the number once allotted, else the VIN."""
        from .state import conformity_answers

        return self.new_plate or conformity_answers(self.demarche).get("vin", "")
