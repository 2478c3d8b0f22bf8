"""Audit event codes: one enum per app, the only values `record_event` takes.

Each app declares its codes in `titres/<app>/audit.py` as a subclass of
`AuditCode` (like Zulip's AuditLogEventType): a code is never a free string
nor built at run time, so the journal can be searched by code and a misspelt
code fails at import, not silently in the evidence.

Codes are identifiers, so they follow the house rule for identifiers:
"<app label>.<what happened>" in English, keeping DESIGN's domain words
(demarche, dossier, timbre, titre, rattachement, mairie…).
"""

from enum import StrEnum
from importlib import import_module

from django.apps import apps


class AuditCode(StrEnum):
    """Base class of every app's audit codes (members are plain strings)."""


def registered_codes() -> dict[str, AuditCode]:
    """Every code declared by the project's apps, by value."""
    codes: dict[str, AuditCode] = {}
    for enum in code_enums():
        for member in enum:
            codes[member.value] = member
    return codes


def code_enums() -> list[type[AuditCode]]:
    """The AuditCode subclasses declared in each project app's `audit` module."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("titres."):
            continue
        name = f"{config.name}.audit"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, AuditCode)
            and value is not AuditCode
            and value.__module__ == name
        )
    return found


class CoreEvent(AuditCode):
    """Codes of `core` itself."""

    DEMO_LOADED = "core.demo_loaded"
    DEMO_RESET = "core.demo_reset"
    RETENTION_PURGED = "core.retention_purged"
