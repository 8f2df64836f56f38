"""This host's cursor into the change log, kept in its index folder with the index itself.

The cursor must say exactly which changes the index holds, even after a crash between
the index's commit and anything after it. So it is written before the index commits, as
the cursor *of the generation about to be committed*, beside the current generation's:
whichever generation the folder then holds, its cursor is there, and no other state is
needed. A folder without a cursor for its generation (new, or made by an older version)
is rebuilt from the database.
"""

import json
import os
import socket
import uuid
from pathlib import Path

CURSOR_FILE = "cursor.json"
HOST_FILE = "host_id"


def position(folder: Path, generation: int) -> tuple[int, int] | None:
    """Return (last change applied, change last rebuilt from) of the index generation.

    None if not known. The second says whether the index was rebuilt since an erasure
    asked every host to (log.request_rebuild).
    """
    entry = _read(folder).get(str(generation))
    return tuple(entry) if entry is not None else None


def applied_through(folder: Path, generation: int) -> int | None:
    """Return the last change id the index generation holds; None if it is not known."""
    known = position(folder, generation)
    return known[0] if known is not None else None


def prepare(folder: Path, current: int, committing: int, through: int, built_from: int) -> None:
    """Record the position of generation `committing`, for when it is committed.

    The current generation's entry is kept, for the case where the commit never happens.
    """
    entries = {str(current): position(folder, current), str(committing): (through, built_from)}
    draft = folder / f".{CURSOR_FILE}.{os.getpid()}"
    draft.write_text(json.dumps({k: v for k, v in entries.items() if v is not None}))
    draft.replace(folder / CURSOR_FILE)  # atomic: a reader sees the old file or the new


def host_id(folder: Path) -> str:
    """Return the id this index folder reports under, made with the folder's first use."""
    path = folder / HOST_FILE
    if not path.exists():
        draft = folder / f".{HOST_FILE}.{os.getpid()}"
        draft.write_text(uuid.uuid4().hex)
        try:
            os.link(draft, path)  # several workers may start at once: one id wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def host_name(folder: Path) -> str:
    """Return how people know this host's index: the machine and the folder."""
    return f"{socket.gethostname()}:{folder}"[:255]


def _read(folder: Path) -> dict[str, list[int]]:
    try:
        return json.loads((folder / CURSOR_FILE).read_text())
    except FileNotFoundError:
        return {}
