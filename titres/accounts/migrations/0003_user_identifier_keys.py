from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from titres.accounts.identifiers import email_key, identifier_key

    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "username", "email").iterator():
        User.objects.filter(pk=user.pk).update(
            username_key=identifier_key(user.username), email_key=email_key(user.email)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_login_throttle")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.CharField(default="", editable=False, max_length=150),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="email_key",
            field=models.CharField(default="", editable=False, max_length=254),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=150, unique=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="email_key",
            field=models.CharField(editable=False, max_length=254, unique=True),
        ),
    ]
