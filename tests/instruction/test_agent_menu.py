"""The agents' menu is a kept part ({% fixedpart %}) per authority, role
and page: a chef's menu never shows to an instructor, each page marks its
own entry, and the tools stay per agent."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from titres.instruction.enums import AgentRole

from .conftest import verified_client

pytestmark = pytest.mark.django_db
STATS = "/statistiques/"


def test_the_chefs_menu_is_not_shown_to_an_instructor(settings, authority, make_agent):
    settings.DEBUG = False
    chef = verified_client(make_agent(role=AgentRole.CHEF_DE_SERVICE))
    agent = verified_client(make_agent())
    worklist = reverse("instruction:worklist", args=[authority.code])
    assert STATS in chef.get(worklist).content.decode()
    assert STATS not in agent.get(worklist).content.decode()
    assert STATS in chef.get(worklist).content.decode()


def test_each_page_marks_its_entry_and_tools_follow_the_agent(settings, authority, make_agent):
    settings.DEBUG = False
    examiner = make_agent()
    examiner.user_permissions.add(Permission.objects.get(codename="record_exam_result"))
    allowed, plain = verified_client(examiner), verified_client(make_agent())
    search = reverse("instruction:search", args=[authority.code])
    worklist = reverse("instruction:worklist", args=[authority.code])
    page = allowed.get(search).content.decode()
    assert f'href="{search}" aria-current="page"' in page
    assert "/permis/agent/resultats-examen/" in page
    page = plain.get(worklist).content.decode()
    assert f'href="{worklist}" aria-current="page"' in page
    assert f'href="{search}" aria-current="page"' not in page
    assert "/permis/agent/resultats-examen/" not in page
