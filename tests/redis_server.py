"""A throw-away Redis server for the tests: a temporary folder, 127.0.0.1 on a free port."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from tests.postgres import free_port


class TemporaryRedis:
    """A Redis server of its own, keeping nothing on disk: started by start(), gone after stop()."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="archive-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server; wait until it answers."""
        log = self.folder / "server.log"
        self._process = subprocess.Popen(
            [
                "redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.folder), "--logfile", str(log),
                # Counts that vanish with the server are all the tests need.
                "--save", "", "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        for _ in range(200):
            if self._process.poll() is not None:
                server_log = log.read_text()[-2000:] if log.exists() else ""
                raise RuntimeError(f"redis-server exited: {server_log}")
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within 10 s")

    def flush(self) -> None:
        """Forget every key, so a test starts with no counts."""
        redis.Redis.from_url(self.url).flushall()

    def stop(self) -> None:
        """Stop the server and remove its files."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)
