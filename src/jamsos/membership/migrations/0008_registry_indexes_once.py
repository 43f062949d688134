"""Each registry index once, and the name search's index (measured on 1 million memberships).

- NIK and KPJ: one unique index each with ``varchar_pattern_ops`` (``=`` and ``LIKE 'x%'``)
  instead of a unique index and its pattern copy (53 MB each on PostgreSQL).
- Foreign keys already leading a composite index lose their own (employer, branch office:
  ``membership_employer_list`` / ``membership_branch_list``; person: ``(person,
  branch_office)``); project, placement, partner and event actor, null on most rows, and the
  employer's list (null for BPU and PMI) are indexed where they are not null.
- People (the name search, ``selectors.person_search``): ``membership_person_name_order``
  (``search_name COLLATE "C"``, NIK, domicile, id) replaces the name's own two indexes
  (``membership.0001``), its trigram index (``membership.0003``) and ``(search_name, nik)``
  (``membership.0007``); on PostgreSQL the trigram index of the later words
  (``membership.0007``) holds only names of two words or more (``membership_person_later_words``).
"""

import django.db.models.deletion
import jamsos.membership.models
from django.conf import settings
from django.db import migrations, models

#: PostgreSQL-only indexes of migrations 0003 and 0007 that the name index replaces.
REPLACED = {
    "membership_person_sname_trgm": (
        "CREATE INDEX IF NOT EXISTS membership_person_sname_trgm "
        "ON membership_person USING gin (search_name gin_trgm_ops)"
    ),
    "membership_person_sname_nik": (
        "CREATE INDEX IF NOT EXISTS membership_person_sname_nik "
        "ON membership_person (search_name, nik)"
    ),
    "membership_person_sname_later_trgm": (
        "CREATE INDEX IF NOT EXISTS membership_person_sname_later_trgm ON membership_person "
        "USING gin ((SUBSTRING(search_name, STRPOS(search_name, ' '))) gin_trgm_ops)"
    ),
}
#: The later words of names of two words or more: a name of one word has none (NULL, not in
#: the index; it was, whole: a third of the names, each matching the trigram of its first
#: letter). Not a partial index: PostgreSQL keeps statistics of an expression index only when
#: it is not partial, and without them estimates `` i`` at 66,667 names (2,582).
LATER_WORDS = (
    "CREATE INDEX IF NOT EXISTS membership_person_later_words ON membership_person USING gin "
    "((SUBSTRING(search_name, NULLIF(STRPOS(search_name, ' '), 0))) gin_trgm_ops)"
)


def _has_trigrams(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return cursor.fetchone() is not None


def _person_index(schema_editor) -> str:
    # The name Django gave the foreign key's index (membership_membership_person_id_4593a1f9).
    return schema_editor._create_index_name("membership_membership", ["person_id"], suffix="")


def drop_person_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {_person_index(schema_editor)}")


def create_person_index(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX {_person_index(schema_editor)} ON membership_membership (person_id)"
    )


def replace_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in REPLACED:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if _has_trigrams(cursor):
            cursor.execute(LATER_WORDS)
        # The planner knows an expression index's values (``search_name COLLATE "C"``) only
        # after ANALYZE: without it the first searches were planned blind (a branch officer's
        # common first name 226 ms at p95 against 21 ms after, on 1 M people).
        cursor.execute("ANALYZE membership_person")


def restore_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS membership_person_later_words")
        trigrams = _has_trigrams(cursor)
        for sql in REPLACED.values():
            if trigrams or "gin_trgm_ops" not in sql:
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0007_postgresql_person_name_search_indexes"),
        ("registry", "0002_postgresql_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="membership",
            name="membership_partner_list",
        ),
        migrations.RemoveIndex(
            model_name="membership",
            name="membership_employer_list",
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                condition=models.Q(("employer__isnull", False)),
                fields=["employer", "-start_date", "-id"],
                name="membership_employer_list",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="branch_office",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The office serving the membership: the employer's (PU, Jakon), else the one whose service area holds the person's domicile (BPU, PMI)",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="membership.branchoffice",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="employer",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="PU: the employer; Jakon: the contractor",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="membership.employer",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="kpj",
            field=models.CharField(max_length=11, verbose_name="KPJ"),
        ),
        # Only the person's own index is dropped: Django's AlterField would also drop every
        # index on (person_id) alone, the partial unique ones (one active BPU, one active PMI)
        # among them, and not make them again.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="membership",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to="membership.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_person_index, create_person_index),
            ],
        ),
        migrations.AlterField(
            model_name="membership",
            name="placement",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="membership.placement",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="project",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="membership.constructionproject",
            ),
        ),
        migrations.AlterField(
            model_name="membershipevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="nik",
            field=models.CharField(max_length=16, verbose_name="NIK"),
        ),
        migrations.AlterField(
            model_name="person",
            name="search_name",
            field=models.CharField(editable=False, max_length=120),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                condition=models.Q(("partner_ref__isnull", False)),
                fields=["partner_ref", "-start_date", "-id"],
                name="membership_partner_list",
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["person", "branch_office"], name="membership_person_office"),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                condition=models.Q(("project__isnull", False)),
                fields=["project"],
                name="membership_of_project",
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                condition=models.Q(("placement__isnull", False)),
                fields=["placement"],
                name="membership_of_placement",
            ),
        ),
        migrations.AddIndex(
            model_name="membershipevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)),
                fields=["actor"],
                name="membership_event_actor",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                jamsos.membership.models.NameOrder("search_name"),
                models.F("nik"),
                models.F("domicile"),
                models.F("id"),
                name="membership_person_name_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("kpj",), name="membership_kpj_unique", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("nik",),
                name="membership_person_nik_unique",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(replace_search_indexes, restore_search_indexes),
    ]
