from django.db import models
from django.utils.translation import gettext_lazy as _


class StampPurpose(models.TextChoices):
    """What an electronic tax stamp pays for; amounts are the official ones."""

    PERMIS_PERTE_VOL = "permis_perte_vol", _("Permis de conduire après perte ou vol")
    PASSEPORT_MAJEUR = "passeport_majeur", _("Passeport majeur")
    PASSEPORT_MINEUR_15_17 = "passeport_mineur_15_17", _("Passeport mineur de 15 à 17 ans")
    PASSEPORT_MINEUR_MOINS_15 = (
        "passeport_mineur_moins_15",
        _("Passeport mineur de moins de 15 ans"),
    )
    CNI_PERTE_VOL = "cni_perte_vol", _("Carte nationale d’identité après perte ou vol")


# Official amounts in cents (CGI art. 1628 and 953).
STAMP_AMOUNTS_CENTS: dict[str, int] = {
    StampPurpose.PERMIS_PERTE_VOL: 2500,
    StampPurpose.PASSEPORT_MAJEUR: 8600,
    StampPurpose.PASSEPORT_MINEUR_15_17: 4200,
    StampPurpose.PASSEPORT_MINEUR_MOINS_15: 1700,
    StampPurpose.CNI_PERTE_VOL: 2500,
}


class StampState(models.TextChoices):
    DISPONIBLE = "disponible", _("Disponible")
    RESERVE = "reserve", _("Réservé")
    CONSOMME = "consomme", _("Consommé")
    REMBOURSE = "rembourse", _("Remboursé")
    EXPIRE = "expire", _("Expiré")


class PaymentKind(models.TextChoices):
    TIMBRE = "timbre", _("Achat de timbre fiscal")
    FRAIS = "frais", _("Autres frais")


class PaymentState(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    ACCEPTE = "accepte", _("Accepté")
    REFUSE = "refuse", _("Refusé")
    ANNULE = "annule", _("Annulé")
    ECHEC = "echec", _("Échec technique")


class PaymentResult(models.TextChoices):
    """Result carried by a provider notification."""

    ACCEPTE = "accepte", _("Accepté")
    REFUSE = "refuse", _("Refusé")
    ANNULE = "annule", _("Annulé")
    ECHEC = "echec", _("Échec technique")


RESULT_TO_STATE = {
    PaymentResult.ACCEPTE: PaymentState.ACCEPTE,
    PaymentResult.REFUSE: PaymentState.REFUSE,
    PaymentResult.ANNULE: PaymentState.ANNULE,
    PaymentResult.ECHEC: PaymentState.ECHEC,
}


class Account(models.TextChoices):
    """Ledger accounts (double entry: every entry debits one, credits another)."""

    BANQUE = "banque", _("Banque (fonds encaissés)")
    ENCAISSEMENTS = "encaissements", _("Encaissements à affecter")
    TIMBRES_EN_CIRCULATION = "timbres_en_circulation", _("Timbres en circulation")
    RECETTES_TIMBRES = "recettes_timbres", _("Recettes des timbres utilisés")
    RECETTES_TIMBRES_EXPIRES = "recettes_timbres_expires", _("Recettes des timbres expirés")
    RECETTES_FRAIS = "recettes_frais", _("Recettes des autres frais")


class LedgerKind(models.TextChoices):
    PAIEMENT = "paiement", _("Paiement encaissé")
    EMISSION = "emission", _("Émission d’un timbre")
    FRAIS = "frais", _("Autres frais")
    CONSOMMATION = "consommation", _("Consommation d’un timbre")
    REMBOURSEMENT = "remboursement", _("Remboursement d’un timbre")
    EXPIRATION = "expiration", _("Expiration d’un timbre")
    REMBOURSEMENT_FRAIS = "frais_rembourse", _("Remboursement d’autres frais")


# (debit, credit) of each kind of entry.
LEDGER_ACCOUNTS = {
    LedgerKind.PAIEMENT: (Account.BANQUE, Account.ENCAISSEMENTS),
    LedgerKind.EMISSION: (Account.ENCAISSEMENTS, Account.TIMBRES_EN_CIRCULATION),
    LedgerKind.FRAIS: (Account.ENCAISSEMENTS, Account.RECETTES_FRAIS),
    LedgerKind.CONSOMMATION: (Account.TIMBRES_EN_CIRCULATION, Account.RECETTES_TIMBRES),
    LedgerKind.REMBOURSEMENT: (Account.TIMBRES_EN_CIRCULATION, Account.BANQUE),
    LedgerKind.EXPIRATION: (Account.TIMBRES_EN_CIRCULATION, Account.RECETTES_TIMBRES_EXPIRES),
    LedgerKind.REMBOURSEMENT_FRAIS: (Account.RECETTES_FRAIS, Account.BANQUE),
}

# The entry that closes a stamp in each terminal state.
CLOSING_KIND = {
    StampState.CONSOMME: LedgerKind.CONSOMMATION,
    StampState.REMBOURSE: LedgerKind.REMBOURSEMENT,
    StampState.EXPIRE: LedgerKind.EXPIRATION,
}


class BankSessionState(models.TextChoices):
    """States of a payment session on the local bank's hosted page."""

    OUVERTE = "ouverte", _("Ouverte")
    CHALLENGE = "challenge", _("Authentification 3-D Secure")
    AUTORISEE = "autorisee", _("Autorisée")
    REFUSEE = "refusee", _("Refusée")
    ANNULEE = "annulee", _("Annulée")
    ECHEC = "echec", _("Échec technique")
