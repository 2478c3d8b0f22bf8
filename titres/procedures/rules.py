"""Supporting-document rules: what a procedure expects (used by the
registry to declare procedures and by documents.py to check them — one
module both import, so neither imports the other)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True, kw_only=True)
class DocumentRule:
    """One expected supporting document, e.g. "Justificatif de domicile de
    moins de 3 mois (1 page / 5 pages maximum)". Pages count over all files
    deposited for the rule."""

    code: str
    label: str
    help_text: str = ""
    min_pages: int = 1
    max_pages: int = 5
    required: bool = True

    @property
    def pages_hint(self) -> str:
        return ngettext(
            "%(min)s page / %(max)s page maximum",
            "%(min)s page / %(max)s pages maximum",
            self.max_pages,
        ) % {"min": self.min_pages, "max": self.max_pages}


# Pieces sent with an answer to an agent's request ("recueil complémentaire").
COMPLEMENT_RULE = DocumentRule(
    code="complement",
    label=_("Pièce complémentaire"),
    help_text=_("Document demandé par le service instructeur."),
    min_pages=1,
    max_pages=10,
    required=False,
)
