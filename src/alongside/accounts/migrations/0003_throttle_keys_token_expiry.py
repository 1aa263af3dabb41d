"""Throttles keyed by HMAC (no email stored), second-factor failure counts, token expiry and scope."""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _expire_existing(apps, schema_editor):
    """Tokens made before expiry existed get the default lifetime from their creation (at least a week)."""
    from django.utils import timezone

    token_model = apps.get_model("accounts", "PersonalAccessToken")
    floor = timezone.now() + timedelta(days=7)
    for token in token_model.objects.all():
        token.expires_at = max(token.created_at + timedelta(days=90), floor)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_personal_access_token"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Old rows are keyed by plain email addresses: drop them rather than carry the addresses over.
        migrations.DeleteModel(name="LoginThrottle"),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, unique=True)),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("account", "Account"),
                            ("account_ip", "Account from one address"),
                            ("ip", "Network address"),
                        ],
                        max_length=12,
                    ),
                ),
                ("failures", models.PositiveIntegerField(default=0)),
                (
                    "lockouts",
                    models.PositiveIntegerField(default=0, help_text="Pauses in a row; each one lasts twice as long."),
                ),
                ("last_failure_at", models.DateTimeField(blank=True, null=True)),
                ("locked_at", models.DateTimeField(blank=True, null=True)),
                ("locked_until", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddField(model_name="totpdevice", name="failures", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name="totpdevice", name="lockouts", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(
            model_name="totpdevice", name="locked_until", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="personalaccesstoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")], default="write", max_length=8
            ),
        ),
        migrations.AddField(
            model_name="personalaccesstoken", name="expires_at", field=models.DateTimeField(null=True)
        ),
        migrations.RunPython(_expire_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="personalaccesstoken", name="expires_at", field=models.DateTimeField()),
    ]
