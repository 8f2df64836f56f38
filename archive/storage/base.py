"""The storage contract every backend keeps."""

import hashlib
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

    #: Where browsers fetch files from when that is not the app itself (presigned URLs):
    #: the page's Content-Security-Policy must allow images from there.
    browser_origin: str | None = None

    @abstractmethod
    def verify(self) -> None:
        """Raise StorageError saying why if the store cannot be used now."""

    def checksum(self, key: str) -> str:
        """Return the SHA-256 (hex) of the bytes stored under key, read back from the store."""
        with self.open(key) as stored:
            return hashlib.file_digest(stored, "sha256").hexdigest()

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
        cache_control: str,
        download_name: str | None = None,
        private: bool = False,
    ) -> Response:
        """Return a response that delivers the file, honouring conditional requests.

        The response may be a redirect to a short-lived URL of the store. private=True
        forbids that: the bytes then pass through this response only, so nobody but the
        person the view let in can fetch them (signed consent forms).
        """
