"""The process pool under ``-j N``: a run that stops early ends, a dead worker is an error."""

from __future__ import annotations

import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from cleaner.errors import CleanerError
from cleaner.runner import Job, TextUnit, _outcome, ordered_map
from cleaner.settings import Settings


def test_a_worker_that_died_is_the_runs_error_not_a_hang() -> None:
    future: Future[object] = Future()
    future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    with pytest.raises(CleanerError, match="worker process died"):
        _outcome(future)


def test_stopping_a_parallel_run_early_drops_the_queued_units(tmp_path: Path) -> None:
    # Many slow units in flight, the consumer stops after the first: the pool must let the
    # running units end and drop the rest, not hang (Pool.terminate did, now and then) nor
    # run every queued unit.
    paragraph = "The council voted on Tuesday to close the old bridge for repairs. " * 400
    paths = []
    for number in range(40):
        path = tmp_path / f"{number}.txt"
        path.write_text(paragraph)
        paths.append(str(path))
    job = Job(settings=Settings(), mode="output")
    started = time.monotonic()
    results = ordered_map((TextUnit(p) for p in paths), job, 2)
    first = next(results)
    results.close()
    assert first.path == paths[0]
    assert time.monotonic() - started < 20
