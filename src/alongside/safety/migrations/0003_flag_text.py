# Written by hand (the measures models were mid-edit elsewhere); the same as makemigrations makes.

from django.db import migrations

import alongside.crypto.fields


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0002_safetyfeedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="safetyflag",
            name="text",
            field=alongside.crypto.fields.EncryptedTextField(blank=True, key_field="client_id"),
        ),
    ]
