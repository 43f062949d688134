"""PostgreSQL-only indexes for region search; a no-op on SQLite.

- ``registry_rg_code_pat``: code prefix (``LIKE '32.04%'``) within an edition, whatever the
  database collation (``varchar_pattern_ops``).
- ``registry_rg_sname_trgm``: trigram index for "a word of the name contains ..." searches, only
  when the ``pg_trgm`` extension is available and can be created (it needs the right to create
  extensions; without it the search still works, by scanning).
"""

from django.db import DatabaseError, migrations, transaction

CODE_INDEX = (
    "CREATE INDEX IF NOT EXISTS registry_rg_code_pat "
    "ON registry_region (edition_id, code varchar_pattern_ops)"
)
TRGM_INDEX = (
    "CREATE INDEX IF NOT EXISTS registry_rg_sname_trgm "
    "ON registry_region USING gin (search_name gin_trgm_ops)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CODE_INDEX)
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return
        cursor.execute(TRGM_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS registry_rg_sname_trgm")
        cursor.execute("DROP INDEX IF EXISTS registry_rg_code_pat")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
