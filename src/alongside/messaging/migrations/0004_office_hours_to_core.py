"""Drop MessagingSettings: core 0003 copied every row into core.OfficeHours (and copies them back when reversed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_office_hours"),
        ("messaging", "0003_erased_thread_tombstones"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="messagingsettings",
            name="messaging_hours_order",
        ),
        migrations.RemoveConstraint(
            model_name="messagingsettings",
            name="messaging_reply_within_range",
        ),
        migrations.DeleteModel(
            name="MessagingSettings",
        ),
    ]
