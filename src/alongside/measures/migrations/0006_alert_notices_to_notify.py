"""Move the alerts' in-app notices (measures.AlertNotification) into notify.Notification, then drop the model.

Before this, a critical alert made two notices per person: an AlertNotification (the alerts badge, and
the row its email marked sent) and, after commit, a notify.Notification with the dedupe key
"<reason>:<alert id>" (the bell). Each pair becomes one notice about the topic "measures.alert:<alert id>":
the notify row when there is one, else a new one. It is read when either was read (the earlier time), and
emailed when the alert's email went. Review alerts had no notify row, so they get a new one. Emails still in
the outbox that would mark an AlertNotification sent are pointed at the notice that replaces it.
"""

from django.db import migrations

ALERT_LINK = "/measures/alerts/{}/"  # reverse("measures:alert_detail") when this was written


def _earliest(*times):
    known = [t for t in times if t is not None]
    return min(known) if known else None


def forwards(apps, schema_editor):
    AlertNotification = apps.get_model("measures", "AlertNotification")
    Notification = apps.get_model("notify", "Notification")
    OutboundEmail = apps.get_model("notify", "OutboundEmail")
    rows = AlertNotification.objects.select_related("alert").order_by("pk")
    for old in rows.iterator(chunk_size=500):
        alert = old.alert
        key = f"{old.reason}:{alert.pk}"
        notice = Notification.objects.filter(recipient_id=old.recipient_id, dedupe_key=key).first()
        if notice is None:
            notice = Notification.objects.create(
                recipient_id=old.recipient_id,
                kind=old.reason,  # "alert" and "escalation" are notify kinds too
                link=ALERT_LINK.format(alert.pk),
                subject_client_id=alert.client_id,
                created_at=old.created_at,
                read_at=old.read_at,
                emailed_at=old.emailed_at,
                dedupe_key=key,
                topic=f"measures.alert:{alert.pk}",
                in_app=True,
            )
        else:
            notice.topic = f"measures.alert:{alert.pk}"
            notice.read_at = _earliest(notice.read_at, old.read_at)
            notice.emailed_at = notice.emailed_at or old.emailed_at
            notice.in_app = True
            notice.save(update_fields=["topic", "read_at", "emailed_at", "in_app"])
        OutboundEmail.objects.filter(ref=f"measures.AlertNotification:{old.pk}").update(
            ref=f"notify.Notification:{notice.pk}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0005_alert_sources"),
        ("notify", "0003_notification_topic"),
    ]

    operations = [
        # Backwards the table comes back empty: the notices stay in notify, where the bell still shows them.
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="AlertNotification"),
    ]
