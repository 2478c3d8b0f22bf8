from django.db import migrations


def load(apps, schema_editor):
    from titres.annuaire.geo import load_commune_centres

    load_commune_centres(apps.get_model("annuaire", "CommuneCentre"))


def unload(apps, schema_editor):
    apps.get_model("annuaire", "CommuneCentre").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("annuaire", "0002_directory")]
    operations = [migrations.RunPython(load, unload)]
