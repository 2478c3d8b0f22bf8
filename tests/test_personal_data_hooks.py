"""Tests about the code itself: every model holding a foreign key to the
user is answered for by a `titres/<app>/personal_data.py` (exported with
"Télécharger mes données", erased with the account) or exempt with a reason.

A new model with a user foreign key fails here until its app declares it in
`COVERS` (with the export that carries it) or `EXEMPT` (with the reason)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from titres.accounts.services.account import export_personal_data


def user_models(all_models) -> list[str]:
    """Labels of the project's models with a foreign key to the user."""
    user_model = get_user_model()
    found = []
    for model in all_models:
        if not model.__module__.startswith("titres."):
            continue
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                found.append(model._meta.label)
                break
    return sorted(set(found))


def declarations() -> dict[str, str]:
    """{model label: reason} over every app's COVERS and EXEMPT."""
    declared = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("titres."):
            continue
        try:
            module = import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.personal_data":
                raise
            continue
        for name in ("COVERS", "EXEMPT"):
            for label, reason in getattr(module, name, {}).items():
                assert str(reason).strip(), f"{label} déclaré sans raison dans {module.__name__}"
                declared[label] = reason
    return declared


def undeclared(labels, declared) -> list[str]:
    return [label for label in labels if label not in declared]


def test_every_model_with_a_user_foreign_key_is_declared():
    missing = undeclared(user_models(apps.get_models()), declarations())
    assert not missing, (
        "Modèles avec une clé étrangère vers le compte, absents de tout personal_data.py "
        "(ajoutez-les à COVERS avec l’export qui les porte, ou à EXEMPT avec la raison) : "
        + ", ".join(missing)
    )


def test_declarations_name_existing_models():
    stale = [label for label in declarations() if label not in user_models(apps.get_models())]
    assert not stale, f"Déclarations sans modèle (à retirer) : {stale}"


def test_the_check_catches_a_new_undeclared_model():
    """A deliberately broken example: a model with a user FK nobody declared."""

    class Carnet(models.Model):
        titulaire = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)

        class Meta:
            app_label = "procedures"

        def __str__(self):
            return "carnet"

    Carnet.__module__ = "titres.procedures.carnet"
    try:
        labels = user_models([*apps.get_models(), Carnet])
        assert undeclared(labels, declarations()) == ["procedures.Carnet"]
    finally:
        apps.all_models["procedures"].pop("carnet", None)
        apps.clear_cache()


@pytest.mark.django_db
def test_the_export_carries_every_app_section():
    from tests.accounts.factories import UserFactory

    data = export_personal_data(user=UserFactory())
    for section in ("procedures", "permis", "vehicules", "identite", "franceconnect"):
        assert section in data
    assert data["procedures"] == []
    assert data["demandes_compte_mairie"] == []
