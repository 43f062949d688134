"""Building and removing the synthetic demo population on top of the real regions.

``demo_population_build`` reads the regions once, generates rows regency by regency
(``membership.demo.generator``, whose people, memberships and ``started`` events are built by
the registration's row builders, ``membership.services.registration_rows``) and writes them
set-based in one transaction through :mod:`jamsos.core.bulkwrite` (COPY on PostgreSQL,
``executemany`` on SQLite), the KPJ and NPP serials through ``membership.services.sequences``,
flushing every 50,000 people so that 10 million workers stream in bounded memory. It is
idempotent: when a demo population exists it says so and does nothing, unless ``replace=True``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from jamsos.core import bulkwrite
from jamsos.demo.population import calibration as cal
from jamsos.membership.errors import DemoRegionsMissing, DemoTooSmall
from jamsos.membership.models import (
    Association,
    BranchOffice,
    ConstructionProject,
    DemoPopulation,
    Employer,
    Membership,
    MembershipEvent,
    Person,
    Placement,
    RecordSource,
    WageReport,
)
from jamsos.membership.services.sequences import serials_advance, serials_next
from jamsos.registry.models import Level, Region

if TYPE_CHECKING:
    # The generator builds its rows with the registration's row builders (this package): it is
    # imported when a population is built, not with the package.
    from jamsos.demo.population.generator import Context, Rows

FLUSH_PEOPLE = 20_000
#: Regencies per demo branch office, grouped by code within a province.
REGENCIES_PER_OFFICE = 4
DEMO_ASSOCIATIONS = {
    "demo-pasar": "Paguyuban Pedagang Pasar (demo)",
    "demo-umkm": "Forum UMKM Daerah (demo)",
    "demo-kontraktor": "Asosiasi Kontraktor Daerah (demo)",
    "demo-padat-karya": "Asosiasi Industri Padat Karya (demo)",
    "demo-angkutan": "Koperasi Angkutan Umum (demo)",
}
MODELS: dict[str, type[models.Model]] = {
    "person": Person,
    "employer": Employer,
    "employer_association": Employer.associations.through,
    "project": ConstructionProject,
    "placement": Placement,
    "membership": Membership,
    "wage_report": WageReport,
    "event": MembershipEvent,
}
_ID_TABLES = ("person", "employer", "project", "placement", "membership", "wage_report", "event")


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )


def demo_population_build(
    *,
    workers: int,
    seed: int = 1,
    progress: bool = True,
    replace: bool = False,
    method: str = "auto",
) -> dict[str, Any]:
    """Build ``workers`` synthetic people with their memberships, employers and wage history.

    Returns a summary: ``status`` is ``built``, ``replaced`` or ``exists`` (nothing done), with
    the counts and timings. Needs the regions of the current edition (``jamsos setup_demo``).
    """
    if isinstance(workers, bool) or workers < 1:
        raise DemoTooSmall(minimum=1, value=workers)
    existing = DemoPopulation.objects.order_by("-built_at").first()
    if existing is not None and not replace:
        return {
            "status": "exists",
            "seed": existing.seed,
            "workers": existing.workers,
            "as_of": existing.as_of.isoformat(),
            "built_at": existing.built_at.isoformat(),
            "same_parameters": existing.seed == seed and existing.workers == workers,
        }
    started = time.perf_counter()
    with transaction.atomic():
        removed = demo_population_remove() if replace else {}
        summary = _build(workers=workers, seed=seed, progress=progress, method=method)
        population = DemoPopulation.objects.create(seed=seed, workers=workers, as_of=cal.AS_OF)
        from jamsos.demo.accounts import demo_users_create

        summary["accounts"] = [
            f"{a.username} ({a.role}{': ' + a.bound_to if a.bound_to else ''})"
            for a in demo_users_create()
        ]
        committing = time.perf_counter()
    # The commit is part of the cost: PostgreSQL checks the deferred foreign keys there.
    summary["commit_seconds"] = round(time.perf_counter() - committing, 2)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    summary["rows_per_second"] = round(summary["rows"] / max(summary["seconds"], 1e-9))
    summary["status"] = "replaced" if removed else "built"
    if removed:
        summary["removed"] = removed
    DemoPopulation.objects.filter(pk=population.pk).update(
        seconds=summary["seconds"], summary=summary
    )
    return summary


def _build(*, workers: int, seed: int, progress: bool, method: str) -> dict[str, Any]:
    method = bulkwrite.method(method)
    _lock_tables()
    with _foreign_keys_checked_once(enabled=method == "copy"):
        return _generate_and_write(workers=workers, seed=seed, progress=progress, method=method)


@contextmanager
def _foreign_keys_checked_once(*, enabled: bool) -> Iterator[None]:
    """On PostgreSQL, drop the loaded tables' foreign keys during the load and add them back
    after, so that each is validated once, set-based, instead of by one deferred trigger per row
    at commit (measured: 23.7 s of an 80 s 1M-worker load). The constraints come back with the
    names and definitions Django gives them, inside the same transaction: nothing outside ever
    sees the tables without them.
    """
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire what the removal queued
    dropped: list[tuple[type[models.Model], Any]] = []
    editor: Any  # the schema editor's private helpers, as migrations use them, are not typed
    with connection.schema_editor(atomic=False) as editor:
        for model in MODELS.values():
            for field in model._meta.local_fields:
                if field.remote_field is None or not field.db_constraint:  # type: ignore[attr-defined]
                    continue
                for name in editor._constraint_names(model, [field.column], foreign_key=True):
                    editor.execute(editor._delete_fk_sql(model, name))
                dropped.append((model, field))
    try:
        yield
    finally:
        with connection.schema_editor(atomic=False) as editor:
            for model, field in dropped:
                editor.execute(
                    editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
                )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _generate_and_write(*, workers: int, seed: int, progress: bool, method: str) -> dict[str, Any]:
    from jamsos.demo.population.generator import COLUMNS, TABLES

    ctx, offices_created = _context(seed=seed, method=method)
    written = 0
    counts: dict[str, int] = {}
    timings = {"generate": 0.0, "write": 0.0}
    with _progress(progress) as bar:
        people_task = bar.add_task("people", total=workers)
        rows_task = bar.add_task("rows written", total=None)
        batches = _batches(ctx, workers, timings)
        if method == "copy":
            # Generated in a thread one batch ahead of COPY: PostgreSQL's side of the insert runs
            # in the server while the thread generates (1M workers: 56 s → 38 s). SQLite's
            # insert holds the GIL, so there the thread only adds contention (59 s → 67 s).
            batches = _ahead(batches)
        for people, rows in batches:
            t0 = time.perf_counter()
            for table in TABLES:
                values = getattr(rows, table)
                if values:
                    bulkwrite.insert(MODELS[table], COLUMNS[table], values, how=method)
                    written += len(values)
                    bar.advance(rows_task, len(values))
            timings["write"] += time.perf_counter() - t0
            for key, value in rows.counts.items():
                counts[key] = counts.get(key, 0) + value
            bar.advance(people_task, people)
    t0 = time.perf_counter()
    _save_serials(ctx)
    _after_load()
    timings["write"] += time.perf_counter() - t0
    memberships = {
        segment: {
            "active": counts.get(f"{segment}_active", 0),
            "ended": counts.get(f"{segment}_ended", 0),
        }
        for segment in ("PU", "BPU", "JAKON", "PMI")
    }
    employers = {
        size: counts.get(f"employers_{size}", 0) for size in ("micro", "small", "medium", "large")
    }
    employers["of_which_contractors"] = counts.get("contractors", 0)
    return {
        "seed": seed,
        "workers": workers,
        "as_of": cal.AS_OF.isoformat(),
        "database": connection.vendor,
        "method": method,
        "people": counts.get("people", 0),
        "memberships": memberships,
        "employers": employers,
        "branch_offices_created": offices_created,
        "focus": _focus_summary(ctx, workers),
        "rows": written,
        "generate_seconds": round(timings["generate"], 2),
        "write_seconds": round(timings["write"], 2),
    }


def _batches(ctx: Context, workers: int, timings: dict[str, float]) -> Iterator[tuple[int, Rows]]:
    """The generated rows in batches of about :data:`FLUSH_PEOPLE` people."""
    from jamsos.demo.population.generator import Rows, generate

    pending, people_in = Rows(), 0
    t0 = time.perf_counter()
    for _regency, people, rows in generate(ctx, workers):
        pending.extend(rows)
        people_in += people
        if len(pending.person) >= FLUSH_PEOPLE:
            timings["generate"] += time.perf_counter() - t0
            yield people_in, pending
            t0 = time.perf_counter()
            pending, people_in = Rows(), 0
    timings["generate"] += time.perf_counter() - t0
    if people_in:
        yield people_in, pending


def _ahead(items: Iterator[Any], depth: int = 1) -> Iterator[Any]:
    """Consume ``items`` in a thread, at most ``depth`` items ahead of the caller; an error in
    the thread is raised in the caller, and the thread stops when the caller does."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        box.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(("done", None))
        except Exception as exc:  # handed to the caller, which raises it
            box.put(("error", exc))

    thread = threading.Thread(target=produce, name="demo-generator", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = box.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join(timeout=5)


def _lock_tables() -> None:
    """On PostgreSQL, keep other writers out of the tables whose ids are handed out here.

    On SQLite the transaction already holds the write lock; give its page cache room for the
    indexes of a large load (256 MB, for this connection only).
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
        return
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(MODELS[t]._meta.db_table) for t in _ID_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def _context(*, seed: int, method: str) -> tuple[Context, int]:
    from jamsos.demo.population.generator import Context, Regency, regency_weights

    regencies = list(
        Region.objects.filter(edition__is_current=True, level=Level.REGENCY)
        .order_by("code")
        .values_list("id", "code", "name", "province_code")
    )
    villages: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for village_id, code_nodot, name, regency_code in (
        Region.objects.filter(edition__is_current=True, level=Level.VILLAGE)
        .order_by("code")
        .values_list("id", "code_nodot", "name", "regency_code")
    ):
        villages[regency_code].append((village_id, code_nodot[:6], name))
    regencies = [r for r in regencies if villages.get(r[1])]
    if not regencies:
        raise DemoRegionsMissing()
    offices, created = _offices_for(regencies)
    infos = [
        Regency(
            code=code,
            name=name,
            province_code=province,
            office_id=offices[regency_id],
            villages=tuple(villages[code]),
        )
        for regency_id, code, name, province in regencies
    ]
    districts: list[str] = []
    district_weights: list[float] = []
    for info, weight in zip(infos, regency_weights(infos), strict=True):
        codes = sorted({district for _, district, _ in info.villages})
        districts.extend(codes)
        district_weights.extend([weight / len(codes)] * len(codes))
    cumulative: list[float] = []
    running = 0.0
    for weight in district_weights:
        running += weight
        cumulative.append(running)
    associations = {
        code: Association.objects.get_or_create(code=code, defaults={"name": name})[0].pk
        for code, name in DEMO_ASSOCIATIONS.items()
    }
    next_id = {
        table: (MODELS[table]._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
        for table in _ID_TABLES
    }
    now = timezone.now()  # aware, UTC
    suffix = bulkwrite.timestamp_suffix(method)
    ctx = Context(
        seed=seed,
        regencies=infos,
        district_codes=districts,
        district_cum=cumulative,
        association_ids=associations,
        next_id=next_id,
        kpj_next={int(year): n for year, n in serials_next(prefix="kpj:").items()},
        npp_next=serials_next(prefix="npp:"),
        existing_niks=set(Person.objects.values_list("nik", flat=True).iterator()),
        existing_npwps=set(Employer.objects.values_list("npwp", flat=True).iterator()),
        timestamp_suffix=suffix,
        now_text=now.strftime("%Y-%m-%d %H:%M:%S") + suffix,
    )
    return ctx, created


def _focus_summary(ctx: Context, workers: int) -> dict[str, Any]:
    """Where the demo's dense district is and how many of its people live there (``{}`` when
    its villages are not loaded): the coverage dashboard opens there."""
    from jamsos.demo.population.generator import focus_people

    people = focus_people(workers, ctx.regencies)
    if not people:
        return {}
    return {"district": cal.FOCUS_DISTRICT, "people": people, "share": cal.FOCUS_SHARE}


def _save_serials(ctx: Context) -> None:
    """The last KPJ and NPP serials the generator handed out, through the sequences service."""
    last = {f"kpj:{year}": n - 1 for year, n in ctx.kpj_next.items()}
    last.update({f"npp:{province}": n - 1 for province, n in ctx.npp_next.items()})
    serials_advance(last_values=last)


def _offices_for(regencies: list[tuple[int, str, str, str]]) -> tuple[dict[int, int], int]:
    """The branch office of each regency: an existing one serving it, else a demo office made
    for a cluster of up to four neighbouring regencies (by code) of the same province."""
    through = BranchOffice.service_area.through
    ids = [r[0] for r in regencies]
    serving: dict[int, int] = {}
    for region_id, office_id in (
        through.objects.filter(region_id__in=ids)
        .order_by("region_id", "branchoffice__code")
        .values_list("region_id", "branchoffice_id")
    ):
        serving.setdefault(region_id, office_id)
    uncovered: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
    for regency in regencies:
        if regency[0] not in serving:
            uncovered[regency[3]].append(regency)
    clusters = []
    for province in sorted(uncovered):
        members = uncovered[province]
        for start in range(0, len(members), REGENCIES_PER_OFFICE):
            clusters.append(members[start : start + REGENCIES_PER_OFFICE])
    taken = set(BranchOffice.objects.values_list("code", flat=True))
    offices = []
    for cluster in clusters:
        code = _office_code(cluster)
        if code in taken:
            continue
        offices.append(BranchOffice(code=code, name=f"Kantor Cabang {cluster[0][2]}", is_demo=True))
    BranchOffice.objects.bulk_create(offices)
    office_ids = dict(
        BranchOffice.objects.filter(code__in=[_office_code(c) for c in clusters]).values_list(
            "code", "pk"
        )
    )
    links = []
    for cluster in clusters:
        office_id = office_ids[_office_code(cluster)]
        for regency in cluster:
            serving[regency[0]] = office_id
            links.append(through(branchoffice_id=office_id, region_id=regency[0]))
    through.objects.bulk_create(links, ignore_conflicts=True)
    return serving, len(offices)


def _office_code(cluster: list[tuple[int, str, str, str]]) -> str:
    """``KC3204``: the code of the cluster's first regency without its dot."""
    return "KC" + cluster[0][1].replace(".", "")


def _after_load() -> None:
    """Move PostgreSQL's id sequences past the ids given here, and refresh its statistics."""
    if connection.vendor != "postgresql":
        return
    tables = [MODELS[t] for t in _ID_TABLES]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(sql)
        quote = connection.ops.quote_name
        for model in tables:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _raw_delete(queryset: models.QuerySet[Any]) -> int:
    """One set-based DELETE, without loading rows (the history tables refuse ORM deletes)."""
    return int(queryset._raw_delete(queryset.db))


@transaction.atomic
def demo_population_remove() -> dict[str, int]:
    """Delete the demo population: people, employers, memberships (and any membership of a demo
    person or employer), their history, projects and placements; the demo branch offices and
    associations no real employer uses. Identifier serials are not reused."""
    from jamsos.demo.accounts import demo_users_remove

    demo = RecordSource.DEMO
    demo_accounts = demo_users_remove()
    memberships = Membership.objects.filter(
        Q(source=demo) | Q(person__source=demo) | Q(employer__source=demo)
    ).values("pk")
    removed = {
        "events": _raw_delete(MembershipEvent.objects.filter(membership__in=memberships)),
        "wage_reports": _raw_delete(WageReport.objects.filter(membership__in=memberships)),
    }
    removed["memberships"] = _raw_delete(Membership.objects.filter(pk__in=memberships))
    removed["placements"] = _raw_delete(Placement.objects.filter(person__source=demo))
    removed["projects"] = _raw_delete(ConstructionProject.objects.filter(contractor__source=demo))
    _raw_delete(Employer.associations.through.objects.filter(employer__source=demo))
    removed["people"] = _raw_delete(Person.objects.filter(source=demo))
    removed["employers"] = _raw_delete(Employer.objects.filter(source=demo))
    unused_offices = BranchOffice.objects.filter(is_demo=True, employers__isnull=True)
    _raw_delete(BranchOffice.service_area.through.objects.filter(branchoffice__in=unused_offices))
    removed["branch_offices"] = _raw_delete(BranchOffice.objects.filter(pk__in=unused_offices))
    _raw_delete(
        Association.objects.filter(code__in=list(DEMO_ASSOCIATIONS), employers__isnull=True)
    )
    DemoPopulation.objects.all().delete()
    removed["accounts"] = demo_accounts
    return {key: value for key, value in removed.items() if value}


def demo_population_get() -> DemoPopulation | None:
    return DemoPopulation.objects.order_by("-built_at").first()


__all__ = ["demo_population_build", "demo_population_get", "demo_population_remove"]
