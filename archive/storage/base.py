"""The storage contract every backend keeps."""

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from flask import Response


class StorageError(Exception):
    """A stored file could not be written, read or removed; the message says which and why."""


@dataclass(frozen=True)
class StoredObject:
    """One stored file: its key, its size and when it was last stored (UTC)."""

    key: str
    size: int
    modified_at: datetime


@dataclass(frozen=True)
class PartialUpload:
    """A store that never finished: a draft file, or an incomplete S3 multipart upload."""

    key: str
    #: When the upload began (S3) or the draft was last written to (a local file).
    changed_at: datetime
    #: The store's name for the unfinished upload when it has one (S3's UploadId).
    upload_id: str = ""

    def __str__(self) -> str:
        """Name it for a person: the draft, or the key and the upload."""
        return f"{self.key} (upload {self.upload_id})" if self.upload_id else self.key


class Storage(ABC):
    """Files stored under keys such as ``originals/ab/abcdef….jpg``.

    Keys are chosen by callers from content hashes, so writing a key that exists only
    refreshes its modification time: the content is the same, and `check` counts the
    grace period of an unreferenced file from the last time someone stored it. Every
    failure is raised as StorageError.
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
        """Store the file at path under key; return False if the key already existed.

        A failed store leaves nothing behind: no draft file, no incomplete upload.
        """

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
    def stored_objects(self, prefix: str = "") -> Iterator[StoredObject]:
        """Yield every complete stored file whose key starts with prefix, in no set order."""

    def stored_object(self, key: str) -> StoredObject | None:
        """Return the stored file under key as the store sees it now, or None."""
        return next((found for found in self.stored_objects(key) if found.key == key), None)

    @abstractmethod
    def partial_uploads(self) -> Iterator[PartialUpload]:
        """Yield every store still in progress or interrupted (a kill, a full disk)."""

    @abstractmethod
    def discard_partial(self, partial: PartialUpload) -> None:
        """Remove what an interrupted store left; one already gone is not an error."""

    def probe(self) -> None:
        """Raise StorageError unless the backend answers; cheap enough for every health check."""
        next(iter(self.stored_objects("healthz/")), None)

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
