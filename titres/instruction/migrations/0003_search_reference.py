# The search entry's licence-only "neph" becomes the file's main number of
# any procedure (NEPH, plate...), given by ProcedureDefinition.search_values.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("instruction", "0002_otp_enrolment"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="demarchesearchentry", name="instr_search_neph"),
        migrations.RenameField(
            model_name="demarchesearchentry", old_name="neph", new_name="reference"
        ),
        migrations.AlterField(
            model_name="demarchesearchentry",
            name="reference",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddIndex(
            model_name="demarchesearchentry",
            index=models.Index(fields=["reference"], name="instr_search_reference"),
        ),
    ]
