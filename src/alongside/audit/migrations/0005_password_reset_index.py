"""Index the password-reset requests the hourly limit counts, so an anonymous request never scans the log."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_fewer_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('action', 'auth.password_reset_requested')), fields=['object_id', 'at'], name='audit_password_reset_recent'),
        ),
    ]
