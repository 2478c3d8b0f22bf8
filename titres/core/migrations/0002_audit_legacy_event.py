"""One language for audit codes: rename the codes already written.

Each renamed entry keeps the code it was written with in `legacy_event`; its
hash is over that spelling (see canonical_encoding), so the chain verifies
as written, without recomputing any hash.
"""

from django.db import migrations, models

from titres.core.audit_renames import RENAMED_CODES


def rename_codes(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in RENAMED_CODES.items():
        AuditEvent.objects.filter(event=old, legacy_event="").update(event=new, legacy_event=old)


def restore_codes(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in RENAMED_CODES.items():
        AuditEvent.objects.filter(event=new, legacy_event=old).update(event=old, legacy_event="")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="legacy_event",
            field=models.CharField(blank=True, editable=False, max_length=80),
        ),
        migrations.RunPython(rename_codes, restore_codes),
    ]
