"""The database refuses to delete an audit entry too (0002 refused only changes), and a user
with entries is protected: deactivated, never deleted (the SET_NULL key was an UPDATE of the
entries, which the trigger refused with an error page).

On PostgreSQL the triggers guard against mistakes; what keeps the application's own database
role from removing them is the role split of `manage.py secure_audit` (docs/security.md): the
table belongs to another role, the application may only INSERT and SELECT it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE = """
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
"""
POSTGRES = """
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION audit_entry_no_update();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    sql = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS audit_entry_no_delete"
        + (" ON audit_auditentry" if schema_editor.connection.vendor == "postgresql" else "")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
