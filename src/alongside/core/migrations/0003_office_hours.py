"""Move the office hours from messaging (MessagingSettings) to core (OfficeHours), keeping every row.

Create the core table, copy each row across (forwards), and copy them back (backwards); messaging 0004 then
drops the old table. Whether the practice is open is read by more than messaging, so the table lives in core
beside the practice settings; ``care.Practice`` is named by string, so core imports no other app.
"""

import alongside.core.models
import datetime
import django.db.models.deletion
from django.db import migrations, models

FIELDS = ("office_days", "opens_at", "closes_at", "reply_within_hours")


def _copy(source, target):
    rows = [
        target(practice_id=row.practice_id, **{name: getattr(row, name) for name in FIELDS})
        for row in source.objects.all()
    ]
    target.objects.bulk_create(rows, batch_size=500)


def forwards(apps, schema_editor):
    _copy(apps.get_model("messaging", "MessagingSettings"), apps.get_model("core", "OfficeHours"))


def backwards(apps, schema_editor):
    old = apps.get_model("messaging", "MessagingSettings")
    old.objects.all().delete()
    _copy(apps.get_model("core", "OfficeHours"), old)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_client_contact_and_name_index"),
        ("core", "0002_practice_settings"),
        ("messaging", "0003_erased_thread_tombstones"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfficeHours",
            fields=[
                (
                    "practice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="care.practice",
                    ),
                ),
                (
                    "office_days",
                    models.JSONField(
                        default=alongside.core.models.weekdays, help_text="ISO weekdays (1 = Monday ... 7 = Sunday)."
                    ),
                ),
                ("opens_at", models.TimeField(default=datetime.time(9, 0))),
                ("closes_at", models.TimeField(default=datetime.time(17, 0))),
                ("reply_within_hours", models.PositiveSmallIntegerField(default=48)),
            ],
            options={
                "verbose_name": "office hours",
                "verbose_name_plural": "office hours",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("opens_at__lt", models.F("closes_at"))), name="core_office_hours_order"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("reply_within_hours__gte", 1), ("reply_within_hours__lte", 336)),
                        name="core_reply_within_range",
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
