from django.db import migrations, models


def mark_withdrawn(apps, schema_editor):
    """Changes of holder rejected (or abandoned after filing) before this
    migration: their CPI was already treated as withdrawn on rejection;
    they get the day of that status change as `withdrawn_at` so every page
    reads the one field. Their code de cession is not given back (it may
    have expired, or the seller may have declared another sale since)."""
    ChangeOfHolder = apps.get_model("vehicules", "ChangeOfHolder")
    StatusChange = apps.get_model("procedures", "StatusChange")
    records = ChangeOfHolder.objects.filter(
        demarche__status__in=("REJETEE", "ABANDONNEE"),
        demarche__submitted_at__isnull=False,
        registered_at__isnull=True,
        withdrawn_at__isnull=True,
    ).select_related("demarche")
    for record in records:
        change = (
            StatusChange.objects.filter(
                demarche_id=record.demarche_id, to_status=record.demarche.status
            )
            .order_by("-created_at", "-id")
            .first()
        )
        record.withdrawn_at = change.created_at if change else record.demarche.updated_at
        record.save(update_fields=["withdrawn_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_initial"),
        ("vehicules", "0009_cession_seller_detached"),
    ]

    operations = [
        migrations.AddField(
            model_name="changeofholder",
            name="code_released",
            field=models.BooleanField(default=False, verbose_name="code de cession rétabli"),
        ),
        migrations.AddField(
            model_name="changeofholder",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="demande retirée le"),
        ),
        migrations.RunPython(mark_withdrawn, migrations.RunPython.noop),
    ]
