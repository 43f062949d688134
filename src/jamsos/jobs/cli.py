"""Progress of a job on the terminal (rich), bound to the jobs' ``progress(stage, done, total)``
callback (:data:`jamsos.jobs.services.ProgressCallback`).

::

    with StageBars({"read": "Baca data / read", ...}) as bars:
        billing_run("2025-03", progress=bars.callback)

:class:`StageBars` shows one bar per stage (earlier stages completed as the next starts);
:class:`UnitBar` one bar over units of work (months), its description naming the stage.
Both write to standard error and can be disabled (``--no-progress``).
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


def _progress(width: int, disable: bool, console: Console | None) -> Progress:
    return Progress(
        TextColumn(f"{{task.description:<{width}}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        disable=disable,
    )


class StageBars:
    """One bar per stage, labelled from ``stages`` (the stage name when absent)."""

    def __init__(
        self,
        stages: dict[str, str],
        *,
        width: int = 30,
        disable: bool = False,
        console: Console | None = None,
    ) -> None:
        self.stages = stages
        self.bar = _progress(width, disable, console)
        self.tasks: dict[str, TaskID] = {}

    def _complete(self, task: TaskID) -> None:
        total = self.bar.tasks[task].total or 1
        self.bar.update(task, completed=total, total=total)

    def callback(self, stage: str, done: int, total: int) -> None:
        for name, task in self.tasks.items():  # the earlier stages are done
            if name != stage:
                self._complete(task)
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(
                self.stages.get(stage, stage), total=total or None
            )
        self.bar.update(self.tasks[stage], completed=done, total=total or None)

    def __enter__(self) -> StageBars:
        self.bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            for task in self.tasks.values():
                self._complete(task)
        self.bar.__exit__(kind, exc, tb)


class UnitBar:
    """One bar over units of work: ``label: <stage>`` as it goes, ``done`` of ``total``."""

    def __init__(
        self,
        label: str,
        stages: dict[str, str],
        *,
        width: int = 34,
        disable: bool = False,
        console: Console | None = None,
    ) -> None:
        self.label = label
        self.stages = stages
        self.bar = _progress(width, disable, console)
        self.task = self.bar.add_task(label, total=None)

    def callback(self, stage: str, done: int, total: int) -> None:
        text = self.stages.get(stage, stage)
        self.bar.update(
            self.task, completed=done, total=total or None, description=f"{self.label}: {text}"
        )

    def __enter__(self) -> UnitBar:
        self.bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.bar.__exit__(kind, exc, tb)
