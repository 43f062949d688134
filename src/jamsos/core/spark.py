"""Apache Spark for the bulk computations that outgrow one server (docs/scale.md).

Spark is optional: ``pip install -e '.[spark]'`` installs ``pyspark`` and ``pyarrow``, and it
needs Java 17 or 21. Without it, asking for the Spark engine is refused with
:class:`SparkUnavailable`; nothing else imports ``pyspark``.

One session per process (:func:`spark_session`), configured from the environment:

- ``JAMSOS_SPARK_MASTER``: the cluster manager (``spark://host:7077``, ``yarn``,
  ``k8s://...``); ``local[2]`` by default (Spark inside this process's JVM, two threads).
- ``JAMSOS_SPARK_SNAPSHOTS``: where the Parquet snapshots go, a folder every executor and this
  process can read and write (object storage on a cluster: ``s3a://bucket/jamsos``); ``var/spark``
  under the working folder by default.
- ``JAMSOS_SPARK_PARTITIONS``: shuffle partitions (``spark.sql.shuffle.partitions``); 4.
- ``JAMSOS_SPARK_BATCH_ROWS``: rows per Arrow batch handed to the Python workers; 100,000.
- ``JAMSOS_SPARK_CONF``: more settings, ``key=value`` pairs separated by spaces.

Snapshots: :class:`Snapshot` is the folder of one run, written by Polars (``write_parquet``)
and Spark, read back by Polars, and removed when the run ends.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

import polars as pl

from jamsos.core.errors import ApplicationError

__all__ = ["Snapshot", "SparkUnavailable", "spark_available", "spark_session"]

_SESSION: Any = None


class SparkUnavailable(ApplicationError):
    """The Spark engine was asked for, and pyspark (or Java) is not installed."""

    code = "core.spark_unavailable"
    http_status = 409
    default_field = "engine"
    text = {
        "id": "Mesin Spark tidak tersedia: {reason}. Pasang dengan "
        "pip install -e '.[spark]' (perlu Java 17 atau 21).",
        "en": "The Spark engine is not available: {reason}. Install it with "
        "pip install -e '.[spark]' (it needs Java 17 or 21).",
    }


def spark_available() -> str:
    """Why Spark cannot run here, or ``""`` when it can (pyspark importable, Java found)."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed"
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        return "java is not installed"
    return ""


def _settings() -> dict[str, str]:
    conf = {
        "spark.app.name": "jamsos",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": os.environ.get("JAMSOS_SPARK_PARTITIONS", "4"),
        "spark.default.parallelism": os.environ.get("JAMSOS_SPARK_PARTITIONS", "4"),
        "spark.sql.execution.arrow.maxRecordsPerBatch": os.environ.get(
            "JAMSOS_SPARK_BATCH_ROWS", "100000"
        ),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.adaptive.enabled": "true",
        # One output file per partition, no _SUCCESS marker to skip when reading back.
        "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    }
    master = os.environ.get("JAMSOS_SPARK_MASTER", "local[2]")
    conf["spark.master"] = master
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        conf["spark.driver.host"] = "127.0.0.1"
        conf["spark.driver.bindAddress"] = "127.0.0.1"
    for pair in shlex.split(os.environ.get("JAMSOS_SPARK_CONF", "")):
        key, _, value = pair.partition("=")
        conf[key] = value
    return conf


def spark_session() -> Any:
    """This process's Spark session, started on first use. Raises :class:`SparkUnavailable`."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    reason = spark_available()
    if reason:
        raise SparkUnavailable(reason=reason)
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter (its packages: jamsos, polars), unless told.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder
    for key, value in _settings().items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    _SESSION = session
    return session


def _root() -> str:
    return os.environ.get("JAMSOS_SPARK_SNAPSHOTS") or str(Path.cwd() / "var" / "spark")


def _local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file://")


class Snapshot:
    """The Parquet folder of one run: ``with Snapshot("billing-12") as snap:``; removed at the
    end (a local folder; on object storage, by the bucket's life-cycle rule)."""

    def __init__(self, name: str) -> None:
        self.uri = f"{_root().rstrip('/')}/{name}-{uuid.uuid4().hex[:8]}"
        if _local(self.uri):
            Path(self.uri.removeprefix("file://")).mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> str:
        """Where the part ``name`` goes (a file for Polars, a folder for Spark)."""
        return f"{self.uri}/{name}"

    def spark_path(self, name: str) -> str:
        """The same place as Spark's Hadoop file system names it (``s3://`` is ``s3a://``)."""
        path = self.path(name)
        return "s3a://" + path.removeprefix("s3://") if path.startswith("s3://") else path

    def write(self, name: str, frame: pl.DataFrame) -> str:
        """Write ``frame`` as the part ``name`` (one Parquet file); its Spark path."""
        frame.write_parquet(self.path(f"{name}.parquet"))
        return self.spark_path(f"{name}.parquet")

    def read(self, name: str, schema: pl.Schema | None = None) -> pl.DataFrame:
        """The Parquet files Spark wrote under ``name``, as one frame (``schema`` when empty)."""
        path = self.path(name)
        if _local(path):
            files = sorted(Path(path.removeprefix("file://")).glob("*.parquet"))
            if not files:
                return pl.DataFrame(schema=schema or {})
            return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
        return pl.read_parquet(f"{path}/*.parquet")

    def sizes(self) -> dict[str, int]:
        """Bytes of each part written so far (a local folder; empty on object storage)."""
        if not _local(self.uri):
            return {}
        root = Path(self.uri.removeprefix("file://"))
        out: dict[str, int] = {}
        for path in root.rglob("*.parquet"):
            part = path.relative_to(root).parts[0].removesuffix(".parquet")
            out[part] = out.get(part, 0) + path.stat().st_size
        return out

    def remove(self) -> None:
        if _local(self.uri):
            shutil.rmtree(self.uri.removeprefix("file://"), ignore_errors=True)

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.remove()
