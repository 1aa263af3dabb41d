"""Name the master key whose derived key hashed each event; existing (legacy) events keep an empty key_id.

On SQLite Django rebuilds the table to add the column; the append-only triggers come after, in 0007.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_password_reset_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=16),
        ),
    ]
