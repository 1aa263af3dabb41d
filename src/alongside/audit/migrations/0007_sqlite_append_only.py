"""On SQLite too, the database refuses UPDATE and DELETE on the audit log (PostgreSQL: 0002).

SQLite drops a table's triggers when Django rebuilds the table (some ALTERs on SQLite copy the table), so a
later migration that alters this table on SQLite must create them again; tests/audit checks they exist.
The test suite drops only the DELETE trigger in its throwaway database, because Django empties tables
between transactional tests with DELETE (see tests/conftest.py), as it disables only TRUNCATE on PostgreSQL.
"""

from django.db import migrations

NO_UPDATE = "audit_auditevent_no_update"
NO_DELETE = "audit_auditevent_no_delete"

CREATE = {
    NO_UPDATE: f"""
CREATE TRIGGER IF NOT EXISTS {NO_UPDATE} BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END
""",
    NO_DELETE: f"""
CREATE TRIGGER IF NOT EXISTS {NO_DELETE} BEFORE DELETE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END
""",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE.values():
            schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in CREATE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_key_id")]

    operations = [migrations.RunPython(forward, backward)]
