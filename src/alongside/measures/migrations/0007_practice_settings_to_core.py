"""Drop measures.PracticeMeasureSettings: core migration 0002 copied its rows into core.PracticeSettings."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_practice_settings"),
        ("measures", "0006_alert_notices_to_notify"),
    ]

    operations = [
        migrations.DeleteModel(name="PracticeMeasureSettings"),
    ]
