"""Retention of personal data (RGPD art. 5-1-e): one declared rule per data class.

Each app declares, in `titres/<app>/retention.py`:
- `RULES`: a `RetentionRule` for every model holding personal data — what,
  how long and counted from what, why (the legal basis), and what happens
  then (delete, anonymise, or kept, with the reason) — with, when the
  portal itself applies it, the `purge` function that does;
- `NOT_PERSONAL`: models that look personal to the consistency test (a
  field named like a name, an e-mail…) but are not, each with the reason.

`purge_all()` applies every rule that has a purge, each in its own
transaction, journaled `core.retention_purged` with the count. The
scheduler runs it daily (`manage.py purge_personal_data`, titres/jobs/).
docs/retention.md is the table of every rule; tests/test_consistency.py
fails when a model with personal fields has none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .audit import CoreEvent
from .journal import record_event

logger = logging.getLogger("titres.retention")


class Action(StrEnum):
    SUPPRIMER = "supprimer"
    ANONYMISER = "anonymiser"
    CONSERVER = "conserver"  # kept as long as stated, purged by no job of the portal


@dataclass(frozen=True)
class RetentionRule:
    model: str  # "app_label.ModelName"
    data: str  # what, in French
    duration: str  # how long, counted from what
    basis: str  # why: purpose and legal basis
    action: Action
    # (now) -> number of rows deleted or anonymised; None when the data is
    # removed with something else (said in `duration`) or kept.
    purge: Callable[[datetime], int] | None = None
    name: str = ""  # distinguishes several rules of one model

    @property
    def key(self) -> str:
        return f"{self.model}:{self.name}" if self.name else self.model


@dataclass(frozen=True)
class NotPersonal:
    model: str
    reason: str


def _modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("titres."):
            continue
        name = f"{config.name}.retention"
        try:
            yield import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


def rules() -> list[RetentionRule]:
    return [rule for module in _modules() for rule in getattr(module, "RULES", ())]


def not_personal() -> list[NotPersonal]:
    return [item for module in _modules() for item in getattr(module, "NOT_PERSONAL", ())]


@dataclass(frozen=True)
class PurgeResult:
    rule: RetentionRule
    count: int


def purge_all(*, now: datetime | None = None) -> list[PurgeResult]:
    now = now or timezone.now()
    return [apply(rule, now=now) for rule in rules() if rule.purge is not None]


def apply(rule: RetentionRule, *, now: datetime) -> PurgeResult:
    with transaction.atomic():
        count = rule.purge(now)
        record_event(
            CoreEvent.RETENTION_PURGED,
            actor_role="systeme",
            data={"regle": rule.key, "action": str(rule.action), "nombre": count},
        )
    if count:
        logger.info("Conservation %s : %d ligne(s) (%s)", rule.key, count, rule.action)
    return PurgeResult(rule, count)
