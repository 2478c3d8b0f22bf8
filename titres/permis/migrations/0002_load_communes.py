"""Load the reference table of postal codes, communes and départements
from the files committed in titres/permis/data (built by
scripts/build_communes.py). Later vintages: `manage.py load_communes`."""

from django.db import migrations


def load(apps, schema_editor):
    from titres.permis.communes import load_reference_data

    load_reference_data(
        apps.get_model("permis", "Commune"), apps.get_model("permis", "Departement")
    )


def unload(apps, schema_editor):
    apps.get_model("permis", "Commune").objects.all().delete()
    apps.get_model("permis", "Departement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("permis", "0001_initial")]
    operations = [migrations.RunPython(load, unload, elidable=True)]
