"""Every storage backend keeps the same contract: local files and S3 alike."""

import hashlib
import os

import pytest

from archive.storage import StorageError


def test_put_open_exists_keys_delete(storage, tmp_path):
    source = tmp_path / "file.bin"
    source.write_bytes(b"content")
    assert storage.put_file("originals/ab/abc.jpg", source) is True
    assert storage.put_file("originals/ab/abc.jpg", source) is False  # same key, same content
    assert storage.exists("originals/ab/abc.jpg")
    with storage.open("originals/ab/abc.jpg") as stored:
        assert stored.read() == b"content"
    assert storage.checksum("originals/ab/abc.jpg") == hashlib.sha256(b"content").hexdigest()
    assert list(storage.stored_keys("originals/")) == ["originals/ab/abc.jpg"]
    assert list(storage.stored_keys("derivatives/")) == []
    storage.delete("originals/ab/abc.jpg")
    storage.delete("originals/ab/abc.jpg")  # deleting twice is fine
    assert not storage.exists("originals/ab/abc.jpg")
    assert list(storage.stored_keys()) == []


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
