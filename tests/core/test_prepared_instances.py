"""`PreparedInstances`: model instances of a queryset compiled once per
process, the same as the ORM's (fields, converted values, the joined
related object cached)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.instruction.factories import AgentMembershipFactory, AuthorityFactory, UserFactory
from titres.core.prepared import PreparedInstances
from titres.instruction.models import AgentMembership
from titres.procedures.models import Demarche

pytestmark = pytest.mark.django_db


def by_user(*, user):
    return AgentMembership.objects.filter(user=user)


def fields(instance):
    return [getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields]


def test_instances_and_their_joined_objects_are_the_orms(django_assert_num_queries):
    prepared = PreparedInstances(AgentMembership, by_user, related=("authority",))
    user = UserFactory()
    for code, departements in (("B", ["54", "57"]), ("A", [])):
        AgentMembershipFactory(
            user=user, authority=AuthorityFactory(code=code, departements=departements)
        )
    AgentMembershipFactory()  # another user's
    expected = list(AgentMembership.objects.filter(user=user).select_related("authority"))
    with django_assert_num_queries(1):
        got = prepared.list(user=user.pk)
        # In the model's order (authority code), each authority cached.
        assert [m.authority.code for m in got] == ["A", "B"]
    assert [fields(m) for m in got] == [fields(m) for m in expected]
    assert [fields(m.authority) for m in got] == [fields(m.authority) for m in expected]
    assert got[1].authority.departements == ["54", "57"]  # the JSON converted
    assert all(m._state.db == "default" and not m._state.adding for m in got)
    assert prepared.list(user=user.pk + 1000) == []


def test_compiled_once_for_every_value():
    prepared = PreparedInstances(AgentMembership, by_user, related=("authority",))
    first, second = AgentMembershipFactory(), AgentMembershipFactory()
    assert prepared.first(user=first.user_id) == first
    assert prepared.first(user=second.user_id) == second
    assert len(prepared.prepared._compiled) == 1


def test_a_32_bit_primary_key_is_found():
    # TOTPDevice's id is an AutoField: a sentinel outside its range would be
    # dropped from the SQL by Django (an empty result), not replaced.
    device = TOTPDevice.objects.create(user=UserFactory(), name="Application", confirmed=True)
    prepared = PreparedInstances(TOTPDevice, lambda *, pk: TOTPDevice.objects.filter(id=pk))
    assert fields(prepared.first(pk=device.pk)) == fields(device)
    assert prepared.first(pk=device.pk + 1) is None


def test_only_non_null_foreign_keys_are_joined():
    # A nullable key would need select_related's LEFT JOIN and no object.
    with pytest.raises(ValueError, match="authority"):
        PreparedInstances(
            Demarche, lambda *, owner: Demarche.objects.filter(owner=owner), related=("authority",)
        )
