"""Tests about the code itself (issue 13, as les-emplois does).

- Every model holding personal data declares a retention rule
  (titres/<app>/retention.py, see titres/core/data_retention.py) or is
  listed as not personal, with the reason. The rule for "personal" is
  written below (PERSONAL_FIELD, `is_personal`).
- Every foreign key to a payment, a stamp, a ledger entry or a document is
  PROTECT: that evidence is never deleted as a side effect.
- Every URL pattern is in the role matrix: tests/test_url_matrix.py checks
  it (a pattern without an entry fails there), so it is not repeated here.

Each check is a function of a list of models, shown to fail on a
deliberately broken example in its own test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from titres.core.data_retention import Action, not_personal, rules

# A model is personal if it points to an account (foreign key or one-to-one
# to the user model) or has a field whose name, cut at underscores, holds one
# of these words (so `last_name`, `birth_date`, `buyer_email`, `ip` match;
# `username`, `hostname` do not).
PERSONAL_FIELD = re.compile(
    r"(^|_)(name|names|nom|prenoms?|birth|naissance|email|courriel|phone|telephone"
    r"|address|adresse|ip)(_|$)"
)
PROTECTED_TARGETS = frozenset(
    {"paiements.Payment", "paiements.Stamp", "paiements.LedgerEntry", "procedures.Document"}
)


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("titres.")]


def is_personal(model, user_label: str = settings.AUTH_USER_MODEL) -> bool:
    for field in model._meta.concrete_fields:
        related = field.related_model if field.is_relation else None
        if related is not None and related._meta.label == user_label:
            return True
        if PERSONAL_FIELD.search(field.name):
            return True
    return False


def models_without_rule(candidates, declared: set[str], exempt: set[str]) -> list[str]:
    return sorted(
        m._meta.label
        for m in candidates
        if is_personal(m) and m._meta.label not in declared | exempt
    )


def unprotected_links(candidates, targets=PROTECTED_TARGETS) -> list[str]:
    found = []
    for model in candidates:
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            if field.related_model._meta.label not in targets:
                continue
            if field.remote_field.on_delete is not models.PROTECT:
                found.append(
                    f"{model._meta.label}.{field.name} → {field.related_model._meta.label} "
                    f"({field.remote_field.on_delete.__name__})"
                )
    return found


# --- the project ---------------------------------------------------------------------


def test_every_model_with_personal_data_has_a_retention_rule():
    declared = {rule.model for rule in rules()}
    exempt = {item.model for item in not_personal()}
    missing = models_without_rule(project_models(), declared, exempt)
    assert not missing, (
        "Modèles à données personnelles sans règle de conservation : déclarez une "
        "RetentionRule dans titres/<app>/retention.py (ou NotPersonal avec la raison) : "
        + ", ".join(missing)
    )


def test_every_rule_names_a_real_model_and_says_everything():
    exempt = {item.model for item in not_personal()}
    keys = [rule.key for rule in rules()]
    assert len(keys) == len(set(keys)), "deux règles ont la même clé (donnez-leur un name)"
    for rule in rules():
        apps.get_model(rule.model)  # LookupError on a stale entry
        assert rule.model not in exempt, f"{rule.model} : à la fois règle et non personnel"
        assert rule.data and rule.duration and rule.basis, rule.key
        if rule.action is Action.CONSERVER:
            assert rule.purge is None, f"{rule.key} : « conserver » ne purge rien"
    for item in not_personal():
        apps.get_model(item.model)
        assert item.reason


def test_docs_retention_lists_every_rule():
    text = (Path(settings.BASE_DIR) / "docs" / "retention.md").read_text()
    missing = [rule.key for rule in rules() if f"`{rule.key}`" not in text]
    assert not missing, f"docs/retention.md ne cite pas : {', '.join(missing)}"


def test_links_to_payments_stamps_and_documents_are_protected():
    assert unprotected_links(project_models()) == []


# --- each check fails on a broken example --------------------------------------------


@isolate_apps("tests")
def test_the_retention_check_names_a_personal_model_without_rule():
    class Contact(models.Model):  # noqa: DJ008 - throwaway model
        contact_email = models.EmailField()

        class Meta:
            app_label = "tests"

    class Counter(models.Model):  # noqa: DJ008 - throwaway model
        hostname = models.CharField(max_length=10)

        class Meta:
            app_label = "tests"

    assert models_without_rule([Contact, Counter], set(), set()) == ["tests.Contact"]
    assert models_without_rule([Contact], {"tests.Contact"}, set()) == []
    assert models_without_rule([Contact], set(), {"tests.Contact"}) == []


@isolate_apps("tests")
def test_the_retention_check_counts_a_link_to_an_account():
    class Owner(models.Model):  # noqa: DJ008 - throwaway model
        class Meta:
            app_label = "tests"

    class Note(models.Model):  # noqa: DJ008 - throwaway model
        owner = models.ForeignKey(Owner, on_delete=models.CASCADE)

        class Meta:
            app_label = "tests"

    assert is_personal(Note, user_label="tests.Owner")
    assert not is_personal(Owner, user_label="tests.Owner")


@isolate_apps("tests")
def test_the_protect_check_names_a_cascading_link():
    class Receipt(models.Model):  # noqa: DJ008 - throwaway model
        class Meta:
            app_label = "tests"

    class Refund(models.Model):  # noqa: DJ008 - throwaway model
        receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE)
        kept = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "tests"

    assert unprotected_links([Refund], targets={"tests.Receipt"}) == [
        "tests.Refund.receipt → tests.Receipt (CASCADE)"
    ]


@pytest.mark.parametrize("name", ["last_name", "birth_date", "buyer_email", "ip", "phone"])
def test_personal_field_names(name):
    assert PERSONAL_FIELD.search(name)


@pytest.mark.parametrize("name", ["username", "hostname", "status", "key_hash"])
def test_field_names_that_are_not_personal(name):
    assert not PERSONAL_FIELD.search(name)
