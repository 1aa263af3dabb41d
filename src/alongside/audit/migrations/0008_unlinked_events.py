"""Events written unlinked (issue #19, alongside.audit.chainer): ``seq`` may be empty on PostgreSQL until a holder of
the chain's lock links the event, and the append-only trigger allows exactly that one change.

SQLite's writers always link their own events, so its column stays NOT NULL and its triggers stay as they are:
altering the column there would make Django rebuild the table, which drops them (0007). The partial index of
unlinked events is made on both, so the schema Django knows matches both databases.
"""

import importlib

from django.db import migrations, models

INDEX = 'CREATE INDEX "audit_unlinked" ON "audit_auditevent" ("id") WHERE "seq" IS NULL'

# The trigger function of 0002, with one exception: an unlinked row (seq empty, no hashes, no key id) may be given
# its seq, prev_hash, hash and key_id, once, with every other column unchanged.
LINKING = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND OLD.prev_hash = '' AND OLD.hash = '' AND OLD.key_id = ''
           AND NEW.seq IS NOT NULL AND NEW.hash <> ''
           AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_label, NEW.action, NEW.object_type, NEW.object_id,
                NEW.client_id, NEW.request_id, NEW.detail)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.at, OLD.actor_id, OLD.actor_label, OLD.action, OLD.object_type, OLD.object_id,
                OLD.client_id, OLD.request_id, OLD.detail) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
ALTER TABLE audit_auditevent ALTER COLUMN seq DROP NOT NULL;
"""

# The function of 0002 (no exception), for going back: its first statement.
APPEND_ONLY = importlib.import_module("alongside.audit.migrations.0002_append_only").FORWARD.split("CREATE TRIGGER")[0]


def forward(apps, schema_editor):
    schema_editor.execute(INDEX, params=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LINKING, params=None)


def backward(apps, schema_editor):
    # Back to NOT NULL fails while an event is unlinked: link them first (`alongside audit link`).
    schema_editor.execute('DROP INDEX IF EXISTS "audit_unlinked"', params=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY + "ALTER TABLE audit_auditevent ALTER COLUMN seq SET NOT NULL;", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_sqlite_append_only")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="seq",
                    field=models.PositiveBigIntegerField(null=True, unique=True),
                ),
                migrations.AddIndex(
                    model_name="auditevent",
                    index=models.Index(condition=models.Q(seq__isnull=True), fields=["id"], name="audit_unlinked"),
                ),
            ],
        )
    ]
