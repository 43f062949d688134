"""The Spark engine's edges that need no Spark: the refusal when it is not installed, the
settings read from the environment, the snapshot folder."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsos.billing.models import BillingRun
from jamsos.core import spark
from jamsos.coverage.models import CoverageRun


@pytest.fixture
def no_spark(monkeypatch):
    monkeypatch.setattr(spark, "spark_available", lambda: "pyspark is not installed")
    monkeypatch.setattr(
        "jamsos.billing.engines.spark.spark_available", lambda: "pyspark is not installed"
    )
    monkeypatch.setattr(
        "jamsos.coverage.engines.spark.spark_available", lambda: "pyspark is not installed"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        ("billing", "run", "--period", "2025-03", "--engine", "spark"),
        ("coverage", "build", "--from", "2025-01", "--engine", "spark"),
    ],
)
def test_without_spark_the_commands_refuse_and_start_nothing(no_spark, command):
    with pytest.raises(CommandError) as caught:
        call_command(*command)
    assert caught.value.returncode == 2
    assert "pyspark is not installed" in str(caught.value)
    assert "pip install -e '.[spark]'" in str(caught.value)
    assert str(caught.value).startswith("Mesin Spark tidak tersedia")
    assert not BillingRun.objects.exists()
    assert not CoverageRun.objects.exists()


def test_an_unknown_engine_is_a_bug_not_a_run():
    from jamsos.billing.services.run import billing_run

    with pytest.raises(ValueError, match="unknown billing engine"):
        billing_run("2025-03", engine="hadoop")


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JAMSOS_SPARK_MASTER", "spark://10.0.0.5:7077")
    monkeypatch.setenv("JAMSOS_SPARK_PARTITIONS", "64")
    monkeypatch.setenv("JAMSOS_SPARK_CONF", "spark.executor.memory=8g spark.executor.cores=4")
    conf = spark._settings()
    assert conf["spark.master"] == "spark://10.0.0.5:7077"
    assert conf["spark.sql.shuffle.partitions"] == "64"
    assert conf["spark.executor.memory"] == "8g"
    assert conf["spark.executor.cores"] == "4"
    assert conf["spark.ui.enabled"] == "false"
    assert "spark.driver.host" not in conf  # a cluster reaches the driver by its own address


def test_a_snapshot_folder_is_removed_at_the_end(monkeypatch, tmp_path):
    monkeypatch.setenv("JAMSOS_SPARK_SNAPSHOTS", str(tmp_path))
    with spark.Snapshot("billing-2025-03") as snapshot:
        path = snapshot.write("input", pl.DataFrame({"a": [1, 2, 3]}))
        assert path.endswith("input.parquet")
        assert snapshot.sizes()["input"] > 0
        assert snapshot.read("missing", pl.Schema({"a": pl.Int64()})).height == 0
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("JAMSOS_SPARK_SNAPSHOTS", "s3://bucket/runs")
    remote = spark.Snapshot("coverage")
    assert remote.spark_path("facts").startswith("s3a://bucket/runs/coverage-")
