"""Drop two audit indexes that cost every write and served no read.

client_id had an index of its own beside (client_id, at), which serves the same look-ups. hash was unique: nothing
looks an event up by its hash, and `alongside audit verify` checks the chain; the unique index made each event
dirty a random page (a caseload view writes one event per client listed).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_token_actions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="client_id",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64),
        ),
    ]
