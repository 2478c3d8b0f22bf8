"""Retention rules of the procedures engine (issue 17): abandoned drafts
deleted, documents of closed files deleted, closed files anonymised."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.procedures.factories import DemarcheFactory, DocumentFactory, MessageFactory
from titres.procedures.enums import Status
from titres.procedures.models import Demarche, Document, Message, StatusChange
from titres.procedures.retention import (
    anonymise_closed_files,
    purge_abandoned_drafts,
    purge_closed_documents,
)

pytestmark = pytest.mark.django_db


def _age(demarche, days):
    Demarche.objects.filter(pk=demarche.pk).update(updated_at=timezone.now() - timedelta(days=days))


def _closed(days_ago, **kwargs):
    demarche = DemarcheFactory(done=True, **kwargs)
    StatusChange.objects.create(
        demarche=demarche,
        from_status=Status.EN_PRODUCTION,
        to_status=Status.TERMINEE,
        event="terminer",
        label="Terminée",
        actor_role="systeme",
    )
    StatusChange.objects.filter(demarche=demarche).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return demarche


def test_an_abandoned_draft_is_deleted_30_days_after_with_its_files():
    old = DemarcheFactory(abandoned=True)
    document = DocumentFactory(demarche=old)
    recent = DemarcheFactory(abandoned=True)
    _age(old, 31)
    _age(recent, 29)
    submitted_then_abandoned = DemarcheFactory(abandoned=True, submitted_at=timezone.now())
    _age(submitted_then_abandoned, 400)
    draft = DemarcheFactory()
    _age(draft, 400)  # still a draft: expire_drafts abandons it first
    assert purge_abandoned_drafts(timezone.now()) == 1
    assert not Demarche.objects.filter(pk=old.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert set(Demarche.objects.values_list("pk", flat=True)) == {
        recent.pk,
        submitted_then_abandoned.pk,
        draft.pk,
    }


def test_the_file_of_a_purged_draft_leaves_storage(django_capture_on_commit_callbacks):
    old = DemarcheFactory(abandoned=True)
    document = DocumentFactory(demarche=old)
    storage, name = document.file.storage, document.file.name
    _age(old, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_abandoned_drafts(timezone.now()) == 1
    assert not storage.exists(name)


def test_documents_of_files_closed_a_year_ago_are_deleted(django_capture_on_commit_callbacks):
    old = _closed(366)
    old_document = DocumentFactory(demarche=old)
    storage, name = old_document.file.storage, old_document.file.name
    recent = _closed(300)
    recent_document = DocumentFactory(demarche=recent)
    running = DemarcheFactory(submitted=True)
    running_document = DocumentFactory(demarche=running)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_closed_documents(timezone.now()) == 1
    assert not Document.objects.filter(pk=old_document.pk).exists()
    assert not storage.exists(name)
    assert Document.objects.filter(pk__in=[recent_document.pk, running_document.pk]).count() == 2
    assert Demarche.objects.filter(pk=old.pk).exists()  # the file itself stays


def test_files_closed_five_years_ago_are_anonymised_after_their_documents():
    old = _closed(5 * 365 + 1, acting_for={"nom": "Client"})
    MessageFactory(demarche=old)
    with_documents = _closed(5 * 365 + 1)
    DocumentFactory(demarche=with_documents)
    recent = _closed(4 * 365)
    assert anonymise_closed_files(timezone.now()) == 1
    old.refresh_from_db()
    assert (old.answers, old.acting_for) == ({}, {})
    assert old.number and old.status == Status.TERMINEE  # statistics keep these
    assert not Message.objects.filter(demarche=old).exists()
    with_documents.refresh_from_db()
    recent.refresh_from_db()
    assert with_documents.answers and recent.answers
    # Already anonymised: not counted again.
    assert anonymise_closed_files(timezone.now()) == 0
