"""Finding 6 of issue 16 (demo): every `make run` reloaded the demo data and
undid what people had changed — the demo citizen's new password and
contact details, an account an operator deactivated — journaling none of
it. Now the data is created once; `make demo-reset` reloads it and says so."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from titres.accounts.models import User
from titres.core.models import AuditEvent, DemoLoad

pytestmark = pytest.mark.django_db


def test_demo_data_is_created_once_then_left_alone_until_reset(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "demo-particulier  /  Demo-Titres-2026!" in first
    citizen = User.objects.get(username="demo-particulier")
    citizen.set_password("Mon-nouveau-mot-2026!")
    citizen.phone = "+33699999999"
    citizen.save()
    User.objects.filter(username="demo-garage").update(is_active=False)

    call_command("load_demo")  # the next `make run`
    again = capsys.readouterr().out
    citizen.refresh_from_db()
    assert citizen.check_password("Mon-nouveau-mot-2026!")
    assert citizen.phone == "+33699999999"
    assert not User.objects.get(username="demo-garage").is_active
    assert again == first  # the same credentials are printed
    assert AuditEvent.objects.filter(event="core.demo_loaded").count() == DemoLoad.objects.count()
    assert not AuditEvent.objects.filter(event="core.demo_reset").exists()

    call_command("load_demo", "--reset", "accounts")  # make demo-reset accounts
    out = capsys.readouterr().out
    assert "Réinitialisé — accounts : données de démonstration rechargées" in out
    assert "demo-particulier" in out.split("Réinitialisé — accounts")[1].splitlines()[0]
    assert "Réinitialisé — permis" not in out
    citizen.refresh_from_db()
    assert citizen.check_password("Demo-Titres-2026!")
    event = AuditEvent.objects.get(event="core.demo_reset")
    assert event.object_id == "accounts" and "demo-particulier" in event.data["comptes"]


def test_demo_reset_refuses_an_unknown_app(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Application sans données de démonstration : rien"):
        call_command("load_demo", "--reset", "rien")
