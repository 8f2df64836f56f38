"""Each host's follower: applies the change log to its index as other hosts write.

One thread per process, started with the process's first request; of the processes
sharing an index folder (a host's gunicorn workers) one follows at a time, holding a
lock file, and another takes over if it stops. On PostgreSQL it LISTENs for the
notification each logging transaction sends as it commits, and applies the new changes
at once; it also looks every INDEX_POLL_SECONDS, in case a notification was missed (and
on SQLite, where that is all it does).
"""

import fcntl
import os
import threading
import time

import psycopg
from flask import Flask

from archive.extensions import db
from archive.search.index import apply_pending_changes, index_path
from archive.search.log import CHANNEL

LOCK_FILE = "follower.lock"
# After an error (the database restarting, say), wait this long before trying again.
RETRY_SECONDS = 5

_started: set[tuple[int, int]] = set()
_starting = threading.Lock()


def start(app: Flask) -> None:
    """Start this process's follower for the app, unless one runs (or INDEX_FOLLOW is off)."""
    key = (os.getpid(), id(app))  # a forked worker starts its own
    if not app.config["INDEX_FOLLOW"] or key in _started:
        return
    with _starting:
        if key not in _started:
            thread = threading.Thread(
                target=_follow, args=(app,), name="index-follower", daemon=True
            )
            _started.add(key)
            thread.start()


def _follow(app: Flask) -> None:
    with app.app_context():
        poll = app.config["INDEX_POLL_SECONDS"]
        lock = _folder_lock()
        while True:
            try:
                if _holds(lock):
                    _listen_and_apply(poll)
                else:
                    time.sleep(poll)  # another process follows; take over if it stops
            except Exception:
                app.logger.exception("search index follower failed; trying again shortly")
                db.session.rollback()
                time.sleep(RETRY_SECONDS)


def _folder_lock():
    path = index_path()
    path.mkdir(parents=True, exist_ok=True)
    return open(path / LOCK_FILE, "a")


def _holds(lock) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _listen_and_apply(poll: float) -> None:
    """Apply the log, then again whenever told of a change, or after `poll` seconds."""
    if db.engine.dialect.name != "postgresql":
        while True:
            apply_pending_changes()
            time.sleep(poll)
    address = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(address, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        while True:
            apply_pending_changes()  # after LISTEN: nothing committed before it is missed
            for _notification in listener.notifies(timeout=poll, stop_after=1):
                pass
