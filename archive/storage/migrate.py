"""Moving the archive's files to another store: copy, verify by checksum, resumable."""

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.storage.base import Storage


@dataclass
class CopyReport:
    """What a copy did; the target may be switched to only when nothing failed."""

    copied: int = 0
    already_there: int = 0
    failed: list[str] = field(default_factory=list)


def copy_files(
    source: Storage,
    target: Storage,
    keys: list[str],
    expected: dict[str, str],
    workdir: Path,
    on_key: Callable[[str], None] = lambda key: None,
) -> CopyReport:
    """Copy each key from source to target and read it back to check its SHA-256.

    expected holds the checksum the database records for a key; a key no row refers to
    must match the source's bytes. A key already in the target with the right checksum
    is skipped, so a run that was interrupted (by an error, a kill, a lost connection)
    carries on where it stopped when started again. A StorageError stops the copy.
    """
    report = CopyReport()
    for key in keys:
        on_key(key)
        wanted = expected.get(key) or source.checksum(key)
        if target.exists(key):
            if target.checksum(key) == wanted:
                report.already_there += 1
                continue
            # Puts are atomic, so this is a wrong copy, never half of one: replace it.
            target.delete(key)
        with tempfile.NamedTemporaryFile(dir=workdir) as draft:
            with source.open(key) as stored:
                shutil.copyfileobj(stored, draft, 1024 * 1024)
            draft.flush()
            target.put_file(key, Path(draft.name))
        if target.checksum(key) == wanted:
            report.copied += 1
        else:
            report.failed.append(key)
    return report
