"""Worker processes that analyse files for bulk import; a file that crashes one costs only itself.

A decoder that crashes (a segfault in a native library) or a worker that the kernel kills
for its memory breaks a ProcessPoolExecutor for good: every file after it would fail too.
Here the pool is started afresh, and each file that was in flight is analysed again in a
process of its own, so only the file that really brings a worker down is refused.
"""

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from archive.core.intake import RejectedUpload
from archive.library_logs import quiet_libraries
from archive.photos.analysis import Analysis, Limits, analyse

CRASHED = (
    "the image decoder stopped on this file (it crashed or ran out of memory); "
    "the file may be damaged, or made to attack image decoders"
)


class AnalysisPool:
    """A pool of `workers` processes running analyse(); use it as a context manager."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        # Workers are forked from a server process that imported the pipeline once: starting
        # each from scratch (spawn) cost as much as analysing a few photos. Never forked from
        # this process, which holds database connections and may have threads.
        self.context = multiprocessing.get_context("forkserver")
        # The face check's OpenCV too, which analysis imports only when it first runs.
        self.context.set_forkserver_preload(
            ["archive.photos.analysis", "archive.photos.faces", "archive.library_logs"]
        )
        self.pool = self._start(self.workers)

    def __enter__(self) -> "AnalysisPool":
        return self

    def __exit__(self, *exc_info) -> None:
        self.pool.shutdown(cancel_futures=True)

    def _start(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=self.context, initializer=quiet_libraries
        )

    def submit(self, path: Path, workdir: Path, limits: Limits, sha256: str) -> Future:
        """Start analysing a file; a pool broken by an earlier file is replaced first."""
        try:
            return self.pool.submit(analyse, path, workdir, limits, sha256)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start(self.workers)
            return self.pool.submit(analyse, path, workdir, limits, sha256)

    def result(self, future: Future, path: Path, workdir: Path, limits: Limits, sha256: str):
        """Return the analysis of a submitted file, telling a crash of its own from another's."""
        try:
            return future.result()
        except BrokenProcessPool:
            return self._alone(path, workdir, limits, sha256)

    def _alone(self, path: Path, workdir: Path, limits: Limits, sha256: str) -> Analysis:
        # Another file in flight may have been the one that crashed: try this one by itself.
        with self._start(1) as single:
            try:
                return single.submit(analyse, path, workdir, limits, sha256).result()
            except BrokenProcessPool:
                raise RejectedUpload(CRASHED) from None
