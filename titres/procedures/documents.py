"""Supporting documents of a démarche: expected rules and completeness."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import DocumentStatus, Status
from .rules import COMPLEMENT_RULE, DocumentRule
from .validation import infected_message

LIVE = [DocumentStatus.EN_ANALYSE, DocumentStatus.VALIDE]


def rules_for(demarche) -> list[DocumentRule]:
    definition = demarche.procedure_definition
    rules = definition.rules(demarche) if definition else []
    if demarche.status == Status.EN_ATTENTE_USAGER:
        rules = [COMPLEMENT_RULE, *rules]
    return rules


def rule_for(demarche, code: str) -> DocumentRule | None:
    return next((rule for rule in rules_for(demarche) if rule.code == code), None)


def main_documents(demarche):
    """Documents of the file itself (not those sent with a later answer)."""
    return demarche.documents.filter(is_complement=False)


def pending_complement_documents(demarche):
    """Pieces uploaded for an answer to an agent, not yet sent."""
    return demarche.documents.filter(is_complement=True, message__isnull=True)


def rules_with_documents(demarche) -> list[tuple[DocumentRule, list]]:
    definition = demarche.procedure_definition
    rules = definition.rules(demarche) if definition else []
    documents = list(main_documents(demarche))
    return [(rule, [d for d in documents if d.code == rule.code]) for rule in rules]


def document_errors(demarche) -> list[str]:
    """What prevents the final validation on the documents step."""
    errors = []
    for rule, documents in rules_with_documents(demarche):
        live = [d for d in documents if d.status in LIVE]
        pages = sum(d.pages for d in live)
        if any(d.status == DocumentStatus.INFECTE for d in documents):
            errors.append(infected_message(str(rule.label)))
        if not live:
            if rule.required:
                errors.append(
                    _("« %(label)s » : pièce obligatoire manquante.") % {"label": rule.label}
                )
            continue
        if pages < rule.min_pages:
            errors.append(
                ngettext(
                    "« %(label)s » : au moins %(min)s page attendue.",
                    "« %(label)s » : au moins %(min)s pages attendues.",
                    rule.min_pages,
                )
                % {"label": rule.label, "min": rule.min_pages}
            )
        if any(d.status == DocumentStatus.EN_ANALYSE for d in live):
            errors.append(
                _("« %(label)s » : analyse antivirus en cours, réessayez dans un instant.")
                % {"label": rule.label}
            )
    return errors
