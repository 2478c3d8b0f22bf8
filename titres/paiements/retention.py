"""Retention rules of payments and stamps (docs/retention.md)."""

from titres.core.data_retention import Action, RetentionRule

ACCOUNTING = (
    "Pièces comptables : 10 ans (art. L123-22 du code de commerce) ; "
    "timbre fiscal : droit de reprise de l’administration (livre des procédures fiscales)."
)

RULES = [
    RetentionRule(
        model="paiements.Payment",
        data="Paiements (adresse e-mail du payeur, montant, référence)",
        duration="10 ans après le paiement ; non purgé par le portail (rapprochement comptable)",
        basis=ACCOUNTING,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="paiements.Stamp",
        data="Timbres électroniques (adresse e-mail de l’acheteur, état)",
        duration="10 ans après l’achat ; non purgé par le portail",
        basis=ACCOUNTING,
        action=Action.CONSERVER,
    ),
    RetentionRule(
        model="paiements.BankSession",
        data="Sessions de la banque locale de démonstration (adresse e-mail)",
        duration="Avec le paiement qu’elles portent ; la banque locale n’existe qu’en démonstration",
        basis="Test du paiement.",
        action=Action.CONSERVER,
    ),
]
