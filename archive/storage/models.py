"""What every database row that names a stored file records, and how it reads and sends it."""

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from flask import Response, abort
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from archive.core.database import NameUse, may_name_people
from archive.storage import StorageError, get_storage

# Every model using StoredFileMixin, in the order defined: check, reference counting and
# storage moves ask this, so a new model with files needs no change anywhere else.
_models: list[type] = []


@dataclass(frozen=True)
class StoredFile:
    """A stored file as a row names it; a plain value, so it may outlive the row's session."""

    key: str
    sha256: str
    content_type: str

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """Yield the stored bytes as a readable, seekable file; raise StorageError if unreadable."""
        with get_storage().open(self.key) as stored:
            yield stored

    def send(
        self,
        *,
        cache_control: str,
        download_name: str | None = None,
        private: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Return the response that sends the file; 404 if the store does not hold it.

        The content hash is the ETag, so a browser's If-None-Match is answered with a 304.
        download_name makes it an attachment of that name; private=True keeps the bytes
        passing through this response (no presigned link that works outside the view's
        check); headers are added last. A row may name a file the store no longer holds
        (deleted by hand, lost with a disk): that is not found. A store that fails while
        it does hold the file is an error (500, logged).
        """
        storage = get_storage()
        try:
            response = storage.send(
                self.key,
                content_type=self.content_type,
                etag=self.sha256,
                cache_control=cache_control,
                download_name=download_name,
                private=private,
            )
        except StorageError:
            if self.key and storage.exists(self.key):
                raise
            abort(404)
        response.headers.update(headers or {})
        return response


class StoredFileMixin:
    """Columns naming a stored file: its key, checksum, size, type and the name it came with.

    A model using it is registered (stored_file_models): its rows count as references to
    their files, and check verifies them.
    """

    storage_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(
        String(255), default="", info=may_name_people(NameUse.FILE_NAME)
    )

    def __init_subclass__(cls, **kwargs) -> None:
        """Register the model, so whatever looks at every stored file finds its rows."""
        super().__init_subclass__(**kwargs)
        _models.append(cls)

    @property
    def stored_file(self) -> StoredFile:
        """Return the file the row names, as a value that needs no session."""
        return StoredFile(self.storage_key, self.sha256, self.content_type)

    def open(self) -> AbstractContextManager[BinaryIO]:
        """Open the file for reading, as a context manager; see StoredFile.open."""
        return self.stored_file.open()

    def send(self, **options) -> Response:
        """Return the response sending the file; the options are StoredFile.send's."""
        return self.stored_file.send(**options)


def stored_file_models() -> list[type]:
    """Return every mapped model whose rows name stored files (abstract bases left out)."""
    return [model for model in _models if "__table__" in vars(model)]
