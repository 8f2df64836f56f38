"""`scripts/bench search`, across hosts: from a commit on host A to searchable on host B.

A throw-away PostgreSQL server (tests/postgres.py) holds a synthetic archive; host A is
this process, host B the app under gunicorn with an instance folder of its own. Each
change is a photo's title set to a new word, committed with its change log entry as
any write commits it. Two figures: how long B's follower takes to apply it unasked
(B's /healthz lag back to 0), and how long B's first search for the word takes to find
it (the search catches up first if the follower has not yet).
"""

import json
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench_http import served_by_gunicorn

CHANGES = 100
SECRET_KEY = "bench-secret-key-shared-by-both-hosts"  # noqa: S105 - a throw-away archive


def bench_hosts(records: int, percentile) -> None:
    """Print p50/p95 of commit-on-A to applied-on-B and to found-by-a-search-on-B."""
    from search_bench import _fill

    from archive import create_app
    from archive.operations.initialise import initialise
    from archive.search.index import reindex

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers
    from tests.postgres import TemporaryServer

    server = TemporaryServer()
    server.start()
    try:
        server.execute("CREATE DATABASE bench")
        url = server.url("bench")
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            app = create_app({"INSTANCE_PATH": a, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
            with app.app_context():
                initialise()
                _fill(records)
                reindex()
                photo_ids = _visible_photos()
                environment = {"ARCHIVE_DATABASE_URL": url, "ARCHIVE_SECRET_KEY": SECRET_KEY}
                with served_by_gunicorn(b, workers=1, environment=environment) as host_b:
                    _wait_until_applied(host_b, deadline=time.monotonic() + 300)
                    followed = [_followed(host_b, photo_ids, n) for n in range(CHANGES)]
                    found = [_found(host_b, photo_ids, n) for n in range(CHANGES)]
    finally:
        server.stop()
    print(f"\nfrom a commit on host A to host B, PostgreSQL, {records} photos, {CHANGES} changes")
    print(f"{'':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, timings in (
        ("applied by B's follower", followed),
        ("found by B's next search", found),
    ):
        print(f"{name:<34} {percentile(timings, 50):>8.1f} {percentile(timings, 95):>8.1f}")


def _visible_photos() -> list[int]:
    """Return photos a visitor finds, whose new words the benchmark searches for."""
    from archive.search.query import SearchRequest, search

    return search(SearchRequest("", per_page=100), None).photo_ids


def _retitle(photo_id: int, word: str) -> float:
    """Give the photo a new title as a write does (the change log in the same commit)."""
    from archive.core.database import write_transaction
    from archive.extensions import db
    from archive.photos.models import Photo

    with write_transaction():
        db.session.get(Photo, photo_id).title = f"Retitled {word}"
    return time.perf_counter()


def _followed(host: str, photo_ids: list[int], number: int) -> float:
    committed = _retitle(photo_ids[number % len(photo_ids)], f"followed{number}")
    _wait_until_applied(host, deadline=time.monotonic() + 30)
    return time.perf_counter() - committed


def _found(host: str, photo_ids: list[int], number: int) -> float:
    word = f"searched{number}"
    committed = _retitle(photo_ids[number % len(photo_ids)], word)
    query = urllib.parse.urlencode({"q": word})
    with urllib.request.urlopen(f"{host}/api/search?{query}") as answer:  # noqa: S310 - 127.0.0.1
        if json.load(answer)["total"] != 1:
            raise RuntimeError(f"host B did not find {word!r} on its first search")
    return time.perf_counter() - committed


def _wait_until_applied(host: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{host}/healthz") as answer:  # noqa: S310 - 127.0.0.1
                if json.load(answer)["index_lag"]["changes"] == 0:
                    return
        except (OSError, KeyError):
            pass  # not serving yet, or its index still being built
        time.sleep(0.002)
    raise RuntimeError("host B did not catch up")
