"""The coverage facts on Apache Spark (``jamsos coverage build --engine spark``).

The build is the single-machine build (:mod:`jamsos.coverage.services.build`) but for the
facts of each month: what the month reads from the database (the memberships open in the run's
months, once; the month's line status and its look-back months' unpaid memberships; the paid
placements and projects; the villages) is written as a Parquet snapshot, and Spark works out
the five counts per membership and groups them to facts (month x village x segment x ecosystem
x channel x office) with a ``groupBy``, joined to the villages' codes. The definitions are those
of ``Counts`` (``coverage/models.py``, ADR 0104), written as Spark column expressions; the tests
hold the rows equal to the single-machine build's, row for row.

The facts (one row per cell, not per membership) are read back, and the rest
runs as on one machine: the roll-up to the five region levels and the dashboard's slices, the
workforce denominators, the offices, and the month's rows deleted and written again in one
transaction (COPY on PostgreSQL), the run record.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from jamsos.core.spark import Snapshot, SparkUnavailable, spark_available, spark_session
from jamsos.legal.periods import Period

__all__ = ["SparkFacts"]

COUNTS = ("registered", "active", "new", "lapsed", "reactivated")
#: The facts' columns and types, as the single-machine build gives them.
FACT_SCHEMA = {
    "period": pl.String(),
    "province_code": pl.String(),
    "regency_code": pl.String(),
    "district_code": pl.String(),
    "village_code": pl.String(),
    "segment": pl.String(),
    "ecosystem": pl.String(),
    "channel": pl.String(),
    "branch_office_id": pl.Int64(),
    **{count: pl.Int64() for count in COUNTS},
    "village_id": pl.Int64(),
}
KEYS = ("village_id", "segment", "ecosystem", "channel", "branch_office_id")


class SparkFacts:
    """Each month's facts computed on Spark, for the coverage job (``facts`` per month, then
    ``summary`` for the run record and ``close``). Raises :class:`SparkUnavailable` when Spark
    cannot run here."""

    def __init__(self) -> None:
        reason = spark_available()
        if reason:
            raise SparkUnavailable(reason=reason)
        self.snapshot: Snapshot | None = None
        self.paths: dict[str, str] = {}

    def summary(self) -> dict[str, Any]:
        """What the run record's counts add: the engine, the master, the snapshot's bytes."""
        sizes = self.snapshot.sizes() if self.snapshot is not None else {}
        return {
            "engine": "spark",
            "spark_master": spark_session().sparkContext.master,
            "spark_bytes": {
                "inputs": sum(v for k, v in sizes.items() if not k.startswith("facts-")),
                "facts": sum(v for k, v in sizes.items() if k.startswith("facts-")),
            },
        }

    def close(self) -> None:
        if self.snapshot is not None:
            self.snapshot.remove()

    def _snapshot_once(
        self,
        members: pl.DataFrame,
        paid_pmi: pl.Series,
        paid_projects: pl.Series,
        villages: pl.DataFrame,
    ) -> Snapshot:
        """The run's memberships, paid placements and projects, villages (first month)."""
        if self.snapshot is not None:
            return self.snapshot
        snapshot = self.snapshot = Snapshot("coverage")
        write = snapshot.write
        self.paths = {
            "members": write("members", members.with_columns(pl.col(pl.Categorical).cast(str))),
            "paid_pmi": write("paid_pmi", paid_pmi.to_frame("membership_id")),
            "paid_projects": write("paid_projects", paid_projects.to_frame("project_id")),
            "villages": write("villages", villages),
        }
        return snapshot

    def facts(
        self,
        month: Period,
        members: pl.DataFrame,
        status: pl.DataFrame,
        unpaid: dict[int, pl.Series],
        lookback: dict[str, int],
        paid_pmi: pl.Series,
        paid_projects: pl.Series,
        villages: pl.DataFrame,
    ) -> tuple[pl.DataFrame, int]:
        """The month's facts and the registered memberships without a village, as
        ``_Job._facts`` of :mod:`jamsos.coverage.services.build` gives them."""
        from pyspark.sql import functions as F  # noqa: N812

        session = spark_session()
        snapshot = self._snapshot_once(members, paid_pmi, paid_projects, villages)
        read = session.read.parquet
        name = f"{month}"
        unpaid_rows = pl.concat(
            [
                ids.to_frame("membership_id").with_columns(k=pl.lit(k, dtype=pl.Int32))
                for k, ids in unpaid.items()
            ]
        )
        status_path = snapshot.write(f"status-{name}", status)
        unpaid_path = snapshot.write(f"unpaid-{name}", unpaid_rows)
        index = month.index
        depth = len(unpaid)

        open_members = read(self.paths["members"]).filter(
            (F.col("start") <= index) & (F.col("end").isNull() | (F.col("end") >= index))
        )
        flags = (
            read(unpaid_path)
            .groupBy("membership_id")
            .agg(
                *[
                    F.max(F.when(F.col("k") == k, 1).otherwise(0)).alias(f"f{k}")
                    for k in range(depth)
                ]
            )
        )
        paid = F.lit(True)
        pmi = read(self.paths["paid_pmi"]).distinct().withColumn("pmi_paid", paid)
        projects = read(self.paths["paid_projects"]).distinct().withColumn("project_paid", paid)
        frame = (
            open_members.join(read(status_path), "membership_id", "left")
            .join(flags, "membership_id", "left")
            .join(pmi, "membership_id", "left")
            .join(projects, "project_id", "left")
        )
        flag = [F.coalesce(F.col(f"f{k}"), F.lit(0)) for k in range(depth)]
        run0: Any = F.lit(0)
        for f in reversed(flag):
            run0 = f * (1 + run0)
        run1: Any = F.lit(0)
        for f in reversed(flag[1:]):
            run1 = f * (1 + run1)
        threshold: Any = F.lit(None).cast("int")
        for segment_name, months in lookback.items():
            threshold = F.when(F.col("segment") == segment_name, F.lit(months)).otherwise(threshold)
        segment = F.col("segment")
        monthly = segment.isin("PU", "BPU")
        active = (
            F.when(monthly, F.coalesce(F.col("paid"), F.lit(0)) == 1)
            .when(segment == "PMI", F.col("pmi_paid").isNotNull())
            .when(segment == "JAKON", F.col("project_paid").isNotNull())
            .otherwise(F.lit(False))
        )
        frame = frame.select(
            *KEYS,
            active.cast("int").alias("active"),
            (F.col("start") == index).cast("int").alias("new"),
            run0.alias("run0"),
            run1.alias("run1"),
            threshold.alias("threshold"),
        )
        lapsed = F.coalesce(
            monthly & F.col("threshold").isNotNull() & (F.col("run0") == F.col("threshold")),
            F.lit(False),
        )
        reactivated = F.coalesce(
            monthly
            & (F.col("active") == 1)
            & F.col("threshold").isNotNull()
            & (F.col("run1") >= F.col("threshold")),
            F.lit(False),
        )
        facts = (
            frame.groupBy(*KEYS)
            .agg(
                F.count(F.lit(1)).cast("long").alias("registered"),
                F.sum("active").cast("long").alias("active"),
                F.sum("new").cast("long").alias("new"),
                F.sum(lapsed.cast("int")).cast("long").alias("lapsed"),
                F.sum(reactivated.cast("int")).cast("long").alias("reactivated"),
            )
            .join(read(self.paths["villages"]), "village_id", "left")
            .withColumn("period", F.lit(name))
        )
        facts.write.mode("overwrite").parquet(snapshot.spark_path(f"facts-{name}"))
        grouped = snapshot.read(f"facts-{name}", pl.Schema(FACT_SCHEMA))
        grouped = grouped.select(list(FACT_SCHEMA)).cast(FACT_SCHEMA)  # type: ignore[arg-type]
        placed = grouped.filter(pl.col("village_code").is_not_null())
        unplaced = int(grouped["registered"].sum() or 0) - int(placed["registered"].sum() or 0)
        return placed, unplaced
