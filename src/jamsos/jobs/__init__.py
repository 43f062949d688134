"""Jobs: long work with a record (ADR 0106).

A :class:`~jamsos.jobs.models.Job` is one run of some kind of long work (a billing run, a
coverage build, ...): its state, stage, progress, heartbeat and process, who started it, its
error or its result. :mod:`jamsos.jobs.services` holds the machinery every kind shares: one
running job per lock key, crash recovery by heartbeat and process, progress reporting
(:class:`~jamsos.jobs.services.Tracker`), and queueing to the task worker. Domain apps register
their kinds in :mod:`jamsos.jobs.registry`; this app imports nothing from them.
"""
