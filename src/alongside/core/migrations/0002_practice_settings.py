"""Move the practice settings from measures (PracticeMeasureSettings) to core (PracticeSettings), keeping every row.

Create the core table, copy each row across (forwards), and copy them back (backwards); measures 0007 then
drops the old table. Quiet hours, escalation, request window and crisis lines are read by several apps, so the
table lives in core; ``care.Practice`` is named by string, so core imports no other app.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models

FIELDS = (
    "escalation_minutes",
    "quiet_start",
    "quiet_end",
    "request_window_days",
    "crisis_resources",
    "clients_see_results",
    "default_instrument",
    "default_rule",
    "default_interval_days",
    "updated_at",
)


def _copy(source, target):
    rows = [target(practice_id=row.practice_id, **{name: getattr(row, name) for name in FIELDS}) for row in source.objects.all()]
    target.objects.bulk_create(rows, batch_size=500)
    # bulk_create stamps auto_now fields with the current time: put each row's own updated_at back.
    for row in source.objects.only("practice_id", "updated_at"):
        target.objects.filter(practice_id=row.practice_id).update(updated_at=row.updated_at)


def forwards(apps, schema_editor):
    _copy(apps.get_model("measures", "PracticeMeasureSettings"), apps.get_model("core", "PracticeSettings"))


def backwards(apps, schema_editor):
    old = apps.get_model("measures", "PracticeMeasureSettings")
    old.objects.all().delete()
    _copy(apps.get_model("core", "PracticeSettings"), old)


class Migration(migrations.Migration):

    dependencies = [
        ("care", "0002_client_country"),
        ("core", "0001_initial"),
        ("measures", "0006_alert_notices_to_notify"),
    ]

    operations = [
        migrations.CreateModel(
            name="PracticeSettings",
            fields=[
                (
                    "practice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="practice_settings",
                        serialize=False,
                        to="care.practice",
                    ),
                ),
                (
                    "escalation_minutes",
                    models.PositiveIntegerField(
                        default=1440,
                        help_text="Minutes an alert may stay unacknowledged before the practice admins are told.",
                    ),
                ),
                (
                    "quiet_start",
                    models.TimeField(default=datetime.time(21, 0), help_text="No reminders from this local time..."),
                ),
                ("quiet_end", models.TimeField(default=datetime.time(8, 0), help_text="...until this local time.")),
                (
                    "request_window_days",
                    models.PositiveSmallIntegerField(default=7, help_text="Days a request stays open before it expires."),
                ),
                (
                    "crisis_resources",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Extra crisis lines shown before the defaults for the client's country.",
                    ),
                ),
                (
                    "clients_see_results",
                    models.BooleanField(
                        default=True, help_text="Clients see their score explained in plain words when they finish."
                    ),
                ),
                (
                    "default_instrument",
                    models.CharField(blank=True, help_text="The practice default questionnaire.", max_length=64),
                ),
                ("default_rule", models.CharField(blank=True, max_length=20)),
                ("default_interval_days", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "practice settings",
                "verbose_name_plural": "practice settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("escalation_minutes__gte", 5)), name="core_escalation_at_least_5_min"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("request_window_days__gte", 1)), name="core_request_window_positive"
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
