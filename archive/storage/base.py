"""The storage contract every backend keeps."""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flask import Response


class StorageError(Exception):
    """A stored file could not be written, read or removed; the message says which and why."""


class Storage(ABC):
    """Files stored under keys such as ``originals/ab/abcdef….jpg``.

    Keys are chosen by callers from content hashes, so writing a key that exists is a
    no-op: the content is the same. Every failure is raised as StorageError.
    """

    @abstractmethod
    def put_file(self, key: str, path: Path) -> bool:
        """Store the file at path under key; return False if the key already existed."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """Open the stored file for reading in binary mode."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Return whether something is stored under key."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the file stored under key; a missing key is not an error."""

    @abstractmethod
    def stored_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield every stored key starting with prefix."""

    def probe(self) -> None:
        """Raise StorageError unless the backend answers; cheap enough for every health check."""
        next(iter(self.stored_keys("healthz/")), None)

    @abstractmethod
    def send(
        self,
        key: str,
        *,
        content_type: str,
        etag: str,
        download_name: str | None = None,
    ) -> Response:
        """Return a response that delivers the file, honouring conditional requests."""
