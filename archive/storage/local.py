"""Files in a folder on this machine (the default: instance/media/)."""

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from flask import Response, send_file
from werkzeug.security import safe_join

from archive.storage.base import PartialUpload, Storage, StorageError, StoredObject

# Files being written carry these dot-names until renamed into place (or removed).
DRAFT_PREFIX = ".incoming-"
PROBE_PREFIX = ".probe-"


class LocalStorage(Storage):
    """Stores each key as a file under one root folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = safe_join(str(self.root), key)
        if path is None:
            raise StorageError(f"refusing a storage key outside the media folder: {key!r}")
        return Path(path)

    def verify(self) -> None:
        """Make sure the media folder exists and can be written to."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"cannot create {self.root}: {error.strerror or error}") from error
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageError(f"cannot write to {self.root}")

    def put_file(self, key: str, path: Path) -> bool:
        """Copy the file in under key, atomically; return False if the key already existed.

        An existing key's modification time is refreshed: the grace period of check runs
        from now, while the caller commits the row that will refer to it.
        """
        target = self._path(key)
        try:
            os.utime(target)
            return False
        except FileNotFoundError:
            pass
        except OSError as error:
            raise StorageError(f"could not store {key}: {error.strerror or error}") from error
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Copy to a temporary name, then rename: a reader never sees half a file.
            fd, draft = tempfile.mkstemp(dir=target.parent, prefix=DRAFT_PREFIX)
        except OSError as error:
            raise StorageError(f"could not store {key}: {error.strerror or error}") from error
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as source:
                shutil.copyfileobj(source, out, 1024 * 1024)
            os.replace(draft, target)
        except BaseException as error:
            # A full disk, a read error or Ctrl-C: no half-written draft stays behind.
            with suppress(OSError):
                os.unlink(draft)
            if isinstance(error, OSError):
                raise StorageError(f"could not store {key}: {error.strerror or error}") from error
            raise
        return True

    def open(self, key: str) -> BinaryIO:
        """Open the stored file for reading."""
        try:
            return open(self._path(key), "rb")
        except OSError as error:
            raise StorageError(f"could not read {key}: {error.strerror or error}") from error

    def exists(self, key: str) -> bool:
        """Return whether the key is stored."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the key's file if it is there."""
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(f"could not delete {key}: {error.strerror or error}") from error

    def probe(self) -> None:
        """Write, read back and remove a small file: the folder is there and writable."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            # A dot-name, like a file being written: never listed as a stored key.
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=PROBE_PREFIX) as probe:
                probe.write(b"ok")
                probe.flush()
                probe.seek(0)
                if probe.read() != b"ok":
                    raise StorageError("the media folder does not return what was written")
        except OSError as error:
            reason = error.strerror or error
            raise StorageError(f"the media folder is not usable: {reason}") from error

    def stored_objects(self, prefix: str = "") -> Iterator[StoredObject]:
        """Yield stored files under prefix, skipping dot-names (drafts being written, probes)."""
        folder = prefix.rpartition("/")[0]
        # Only the prefix's folder is walked: check looks up single keys this way too.
        for directory, folders, names in os.walk(self._path(folder) if folder else self.root):
            folders[:] = [name for name in folders if not name.startswith(".")]
            for name in names:
                key = Path(directory, name).relative_to(self.root).as_posix()
                if not name.startswith(".") and key.startswith(prefix):
                    found = self.stored_object(key)
                    if found is not None:
                        yield found

    def stored_object(self, key: str) -> StoredObject | None:
        """Return the file under key as it is now, or None (a stat, not a listing)."""
        try:
            found = self._path(key).stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageError(f"could not look at {key}: {error.strerror or error}") from error
        if not stat.S_ISREG(found.st_mode):
            return None
        return StoredObject(key, found.st_size, datetime.fromtimestamp(found.st_mtime, UTC))

    def partial_uploads(self) -> Iterator[PartialUpload]:
        """Yield the draft files of stores and health probes in progress or interrupted."""
        for directory, _folders, names in os.walk(self.root):
            for name in names:
                if name.startswith((DRAFT_PREFIX, PROBE_PREFIX)):
                    path = Path(directory, name)
                    try:
                        changed = path.stat().st_mtime
                    except FileNotFoundError:
                        continue  # finished (renamed or removed) since the listing
                    key = path.relative_to(self.root).as_posix()
                    yield PartialUpload(key, datetime.fromtimestamp(changed, UTC))

    def discard_partial(self, partial: PartialUpload) -> None:
        """Remove the draft file."""
        self.delete(partial.key)

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
        """Send the file with its ETag; Werkzeug answers If-None-Match and Range itself.

        Always through the app, so every file is as private as its view makes it.
        """
        path = self._path(key)
        if not path.is_file():
            raise StorageError(f"{key} is missing from the media folder")
        response = send_file(
            path,
            mimetype=content_type,
            etag=etag,
            conditional=True,
            as_attachment=download_name is not None,
            download_name=download_name,
        )
        response.headers["Cache-Control"] = cache_control
        return response
