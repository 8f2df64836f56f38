"""LocalStorage keeps the storage contract."""

import pytest

from archive.storage import LocalStorage, StorageError


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "media")


def test_put_open_exists_keys_delete(storage, tmp_path):
    source = tmp_path / "file.bin"
    source.write_bytes(b"content")
    assert storage.put_file("originals/ab/abc.jpg", source) is True
    assert storage.put_file("originals/ab/abc.jpg", source) is False  # same key, same content
    assert storage.exists("originals/ab/abc.jpg")
    with storage.open("originals/ab/abc.jpg") as stored:
        assert stored.read() == b"content"
    assert list(storage.stored_keys("originals/")) == ["originals/ab/abc.jpg"]
    storage.delete("originals/ab/abc.jpg")
    storage.delete("originals/ab/abc.jpg")  # deleting twice is fine
    assert not storage.exists("originals/ab/abc.jpg")


@pytest.mark.parametrize("key", ["../outside.jpg", "/etc/passwd", "a/../../b"])
def test_keys_cannot_escape_the_media_folder(storage, tmp_path, key):
    source = tmp_path / "file.bin"
    source.write_bytes(b"x")
    with pytest.raises(StorageError, match="outside the media folder"):
        storage.put_file(key, source)


def test_a_missing_file_is_a_storage_error(storage):
    with pytest.raises(StorageError, match="could not read"):
        storage.open("originals/none.jpg")
