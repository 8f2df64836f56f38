"""The instance's working folder (UPLOAD_TMP_PATH): what interrupted uploads and imports left.

Uploads, imports and storage moves work in folders and files of their own in it and
remove them when done; a kill or a power cut leaves them behind. Any other process, on
this host or one sharing the folder, may be working in an entry that looks idle, so an
entry is taken as left behind only when nothing in it has changed for the grace period.
"""

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path


def grace_cutoff(hours: float) -> datetime:
    """Return the moment before which an unfinished or unreferenced thing counts as left."""
    return datetime.now(UTC) - timedelta(hours=hours)


def last_changed(path: Path) -> datetime:
    """Return when the entry, or anything inside it, last changed."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for directory, folders, names in os.walk(path):
            for name in folders + names:
                try:
                    newest = max(newest, Path(directory, name).lstat().st_mtime)
                except FileNotFoundError:
                    continue  # removed while we looked: its folder's time shows the change
    return datetime.fromtimestamp(newest, UTC)


def stale_entries(root: Path, cutoff: datetime) -> list[Path]:
    """Return the entries of the working folder in which nothing changed since cutoff."""
    try:
        entries = sorted(root.iterdir())
    except FileNotFoundError:
        return []
    stale = []
    for entry in entries:
        try:
            # The entry's own time first: an entry in use is passed over without a walk.
            own = datetime.fromtimestamp(entry.lstat().st_mtime, UTC)
            if own < cutoff and last_changed(entry) < cutoff:
                stale.append(entry)
        except FileNotFoundError:
            continue  # finished and removed by its owner meanwhile
    return stale


def remove_if_stale(entry: Path, cutoff: datetime) -> bool:
    """Remove the entry if nothing in it changed since cutoff; return whether it was removed.

    Raises OSError when it cannot be removed (permissions, a failing disk).
    """
    try:
        if last_changed(entry) >= cutoff:
            return False
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    except FileNotFoundError:
        return False
    return True


def remove_stale_entries(root: Path, cutoff: datetime) -> int:
    """Remove every entry left in the working folder before cutoff; return how many."""
    return sum(remove_if_stale(entry, cutoff) for entry in stale_entries(root, cutoff))
