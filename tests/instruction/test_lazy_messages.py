"""Refusal messages defined at import time follow the language of each
request: they were frozen in the language active when the module was first
imported (English text shown with French active)."""

import pytest
from django.utils import translation

from titres.instruction.auth import NOT_AN_AGENT
from titres.instruction.services import READ_ONLY


@pytest.mark.parametrize(
    ("message", "french", "english"),
    [
        (
            NOT_AN_AGENT,
            "Cet espace est réservé aux agents des services instructeurs.",
            "This area is reserved for agents of the instructing services.",
        ),
        (
            READ_ONLY,
            "Votre rôle (lecture seule) ne permet pas d’agir sur les demandes.",
            "Your role (read-only) does not allow acting on requests.",
        ),
    ],
)
def test_message_follows_the_active_language(message, french, english):
    with translation.override("en"):
        assert str(message) == english
    with translation.override("fr"):
        assert str(message) == french
