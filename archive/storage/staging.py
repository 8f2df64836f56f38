"""Storing the files of new rows before the rows, and undoing exactly that if they never commit."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.core.database import write_transaction
from archive.extensions import db
from archive.storage import get_storage
from archive.storage.references import delete_unreferenced


class StagedFiles:
    """The files a store_files() block stores before the transaction committing their rows.

    Files go first and rows after, so no row names a file that is not there. Meanwhile a
    file the block found already stored (the same content: a group's consent form, a
    derivative two photos share) may be deleted by someone who saw no row name it: an
    erasure, a failed upload. delete_if_unreferenced decides and deletes inside a write
    transaction; transaction() stores again, inside the write transaction that commits
    the rows, what was deleted. Write transactions run one at a time, so the two never
    interleave. (A file the block created was not stored before it, so only a row naming
    a file already lost, which check reports, could have someone delete it.)
    """

    def __init__(self) -> None:
        #: Keys this block stored first: removed if its rows never commit.
        self._created: list[str] = []
        self._reused: dict[str, Path] = {}

    def put(self, key: str, path: Path) -> None:
        """Store the file at path under key (an existing key only has its age refreshed)."""
        if get_storage().put_file(key, path):
            self._created.append(key)
        else:
            self._reused.setdefault(key, path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block as the write transaction that commits the rows naming the files."""
        with write_transaction():
            storage = get_storage()
            for key, path in self._reused.items():
                if not storage.exists(key) and storage.put_file(key, path):
                    self._created.append(key)
            yield

    def discard(self) -> None:
        """Roll back, then delete the files this block created that no committed row names."""
        db.session.rollback()
        delete_unreferenced(self._created, purpose="after a failed upload")


@contextmanager
def store_files() -> Iterator[StagedFiles]:
    """Yield StagedFiles to put files in, then commit the rows naming them in its transaction().

    If the block raises (a put failed, or building or committing the rows), the session
    is rolled back and the files the block created are deleted, each only if no
    committed row names it; a file it found already stored (the same content: another
    row's, or another upload's about to commit) stays. The error goes on.
    """
    files = StagedFiles()
    try:
        yield files
    except BaseException:
        files.discard()
        raise
