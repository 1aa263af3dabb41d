# The one "wearables" scope becomes three (sleep, heart, activity), each revocable on its own (issue #15).
# A client who shared "wearables" keeps sharing all three; one who did not shares none.

from django.db import migrations, models

STREAMS = ("wearables_sleep", "wearables_heart", "wearables_active")


def split(apps, schema_editor):
    ScopeGrant = apps.get_model("consent", "ScopeGrant")
    for grant in ScopeGrant.objects.filter(scope="wearables"):
        for stream in STREAMS:
            ScopeGrant.objects.update_or_create(
                client_id=grant.client_id, scope=stream, defaults={"granted": grant.granted}
            )
    ScopeGrant.objects.filter(scope="wearables").delete()


def join(apps, schema_editor):
    ScopeGrant = apps.get_model("consent", "ScopeGrant")
    clients = set(ScopeGrant.objects.filter(scope__in=STREAMS).values_list("client_id", flat=True))
    for client_id in clients:
        granted = ScopeGrant.objects.filter(client_id=client_id, scope__in=STREAMS, granted=True).exists()
        ScopeGrant.objects.update_or_create(client_id=client_id, scope="wearables", defaults={"granted": granted})
    ScopeGrant.objects.filter(scope__in=STREAMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="scopegrant",
            name="scope",
            field=models.CharField(
                choices=[
                    ("mood", "Mood check-ins"),
                    ("measures", "Questionnaires and scores"),
                    ("exercises", "Exercises and practice logs"),
                    ("journal", "Journal and free text"),
                    ("wearables_sleep", "Sleep from devices"),
                    ("wearables_heart", "Heart rate and heart-rate variability from devices"),
                    ("wearables_active", "Steps and activity from devices"),
                    ("messages", "Messages"),
                    ("research", "De-identified research use"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(split, join),
    ]
