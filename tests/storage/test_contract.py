"""Every storage backend keeps the same contract: local files and S3 alike."""

import errno
import hashlib
import os
import shutil
import time
from datetime import UTC, datetime, timedelta

import pytest

from archive.storage import LocalStorage, StorageError
from archive.storage.base import PartialUpload

MB = 1024 * 1024


def test_put_open_exists_keys_delete(storage, tmp_path):
    source = tmp_path / "file.bin"
    source.write_bytes(b"content")
    assert storage.put_file("originals/ab/abc.jpg", source) is True
    assert storage.put_file("originals/ab/abc.jpg", source) is False  # same key, same content
    assert storage.exists("originals/ab/abc.jpg")
    with storage.open("originals/ab/abc.jpg") as stored:
        assert stored.read() == b"content"
    assert storage.checksum("originals/ab/abc.jpg") == hashlib.sha256(b"content").hexdigest()
    [stored] = storage.stored_objects("originals/")
    assert (stored.key, stored.size) == ("originals/ab/abc.jpg", 7)
    assert abs(stored.modified_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert storage.stored_object("originals/ab/abc.jpg") == stored
    assert list(storage.stored_objects("derivatives/")) == []
    storage.delete("originals/ab/abc.jpg")
    storage.delete("originals/ab/abc.jpg")  # deleting twice is fine
    assert not storage.exists("originals/ab/abc.jpg")
    assert list(storage.stored_objects()) == []
    assert storage.stored_object("originals/ab/abc.jpg") is None


def test_storing_a_key_again_makes_it_young_again(storage, tmp_path):
    # An ingest reusing a file a crash left must not see check delete it before its commit.
    source = tmp_path / "file.bin"
    source.write_bytes(b"content")
    storage.put_file("derivatives/ab/abc.jpg", source)
    first = storage.stored_object("derivatives/ab/abc.jpg").modified_at
    time.sleep(1.1)  # S3 keeps whole seconds
    assert storage.put_file("derivatives/ab/abc.jpg", source) is False
    again = storage.stored_object("derivatives/ab/abc.jpg")
    assert again.modified_at > first
    assert storage.checksum("derivatives/ab/abc.jpg") == hashlib.sha256(b"content").hexdigest()


def test_a_large_original_is_stored_whole_and_read_back_seekable(storage, tmp_path):
    # 6 MB: on S3 above the 5 MB multipart threshold the fixture sets, so it goes in parts.
    content = os.urandom(6 * 1024 * 1024)
    source = tmp_path / "big.tif"
    source.write_bytes(content)
    storage.put_file("originals/cd/big.tif", source)
    assert storage.checksum("originals/cd/big.tif") == hashlib.sha256(content).hexdigest()
    with storage.open("originals/cd/big.tif") as stored:
        stored.seek(-10, os.SEEK_END)  # Pillow and zipfile seek; so must every backend's file
        assert stored.read() == content[-10:]


@pytest.mark.parametrize("key", ["../outside.jpg", "/etc/passwd", "a/../../b"])
def test_keys_cannot_escape_the_store(storage, tmp_path, key):
    source = tmp_path / "file.bin"
    source.write_bytes(b"x")
    with pytest.raises(StorageError, match="refusing a storage key outside the"):
        storage.put_file(key, source)


def test_a_missing_file_is_a_storage_error(storage):
    with pytest.raises(StorageError, match=r"could not read originals/none\.jpg"):
        storage.open("originals/none.jpg")
    with pytest.raises(StorageError, match=r"could not read originals/none\.jpg"):
        storage.checksum("originals/none.jpg")


def fail_midway(storage, monkeypatch, error: BaseException) -> None:
    """Make the next store fail after its first megabytes are written, with error."""
    if isinstance(storage, LocalStorage):
        copy = shutil.copyfileobj

        def copy_then_fail(source, target, length=0):
            copy(source, target, length)  # the draft is written in full, then the disk fills
            raise error

        monkeypatch.setattr("archive.storage.local.shutil.copyfileobj", copy_then_fail)
        return
    parts = []

    def fail_on_second_part(**kwargs):
        parts.append(kwargs)
        if len(parts) == 2:
            raise error

    storage.client.meta.events.register("before-call.s3.UploadPart", fail_on_second_part)


FAILURES = [
    pytest.param(OSError(errno.ENOSPC, "No space left on device"), id="disk-full"),
    pytest.param(OSError(errno.EIO, "Input/output error"), id="read-error"),
]


@pytest.mark.parametrize("error", FAILURES)
def test_a_failed_store_leaves_nothing_behind(storage, tmp_path, monkeypatch, error):
    source = tmp_path / "scan.tif"
    source.write_bytes(os.urandom(11 * MB))  # on S3, three parts: the second one fails
    fail_midway(storage, monkeypatch, error)
    message = f"could not store originals/ab/scan.tif: {error.strerror}"
    with pytest.raises(StorageError, match=message):
        storage.put_file("originals/ab/scan.tif", source)
    assert list(storage.partial_uploads()) == []
    assert list(storage.stored_objects()) == []
    if isinstance(storage, LocalStorage):
        assert [path for path in storage.root.rglob("*") if path.is_file()] == []


def test_an_interrupted_local_store_removes_its_draft(tmp_path, monkeypatch):
    storage = LocalStorage(tmp_path / "media")
    source = tmp_path / "scan.tif"
    source.write_bytes(os.urandom(3 * MB))
    fail_midway(storage, monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        storage.put_file("originals/ab/scan.tif", source)
    assert [path for path in storage.root.rglob("*") if path.is_file()] == []


def start_partial_upload(storage, key: str) -> PartialUpload:
    """Leave a store unfinished, as a kill would: a draft file, or a multipart upload."""
    if isinstance(storage, LocalStorage):
        draft = storage.root / key.rpartition("/")[0] / ".incoming-k1ll3d"
        draft.parent.mkdir(parents=True)
        draft.write_bytes(b"half a fi")
        return PartialUpload(draft.relative_to(storage.root).as_posix(), datetime.now(UTC))
    name = storage.prefix + key
    upload = storage.client.create_multipart_upload(Bucket=storage.bucket, Key=name)
    storage.client.upload_part(
        Bucket=storage.bucket, Key=name, UploadId=upload["UploadId"], PartNumber=1, Body=b"half"
    )
    return PartialUpload(key, datetime.now(UTC), upload["UploadId"])


def test_interrupted_stores_are_listed_and_can_be_discarded(storage):
    left = start_partial_upload(storage, "originals/ab/scan.tif")
    [found] = storage.partial_uploads()
    assert (found.key, found.upload_id) == (left.key, left.upload_id)
    # moto answers one fixed Initiated time (in 2010) for every upload; S3 the real one.
    assert found.changed_at <= datetime.now(UTC)
    assert list(storage.stored_objects()) == []  # never a stored file
    storage.discard_partial(found)
    storage.discard_partial(found)  # already gone is fine
    assert list(storage.partial_uploads()) == []
