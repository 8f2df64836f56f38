"""`check` over either store: damaged and lost files named, repair touches only orphans."""

from archive.check import referenced_files
from archive.storage import get_storage
from tests.conftest import ON_BOTH_STORAGES


@ON_BOTH_STORAGES
def test_check_names_a_corrupt_and_a_missing_file_and_repair_keeps_every_referenced_one(
    app, runner, consented_photo, tmp_path
):
    storage = get_storage()
    corrupt = consented_photo.storage_key
    missing = consented_photo.derivative("thumb").storage_key
    orphan = "derivatives/00/left-by-a-crash.jpg"
    other = tmp_path / "other.jpg"
    other.write_bytes(b"not the photo that was uploaded")
    storage.delete(corrupt)
    storage.put_file(corrupt, other)  # same key, other bytes: as a failing disk would leave it
    storage.delete(missing)
    storage.put_file(orphan, other)
    kept = {key: storage.checksum(key) for key in referenced_files() if key != missing}
    assert len(kept) == 4  # the damaged original, two derivatives and the consent form

    found = runner.invoke(args=["check"])
    assert found.exit_code == 1
    assert f"corrupt file (checksum differs): {corrupt}" in found.output
    assert f"missing file: {missing}" in found.output
    # Just stored: an upload may be about to commit the row naming it.
    assert f"recent unreferenced file (kept until it is 24 hours old): {orphan}" in found.output
    assert "orphan file" not in found.output  # not a problem
    runner.invoke(args=["check", "--repair"])
    assert storage.exists(orphan)

    app.config["ORPHAN_GRACE_HOURS"] = 0  # the orphan is now past its grace period
    found = runner.invoke(args=["check"])
    assert f"orphan file (no row refers to it): {orphan}" in found.output
    repaired = runner.invoke(args=["check", "--repair"])
    assert f"repaired: deleted orphan file {orphan}" in repaired.output
    assert not storage.exists(orphan)
    # Every referenced file is as it was, the damaged one too: that needs a person.
    assert {key: storage.checksum(key) for key in kept} == kept

    again = runner.invoke(args=["check"])
    assert again.exit_code == 1
    assert f"corrupt file (checksum differs): {corrupt}" in again.output
    assert f"missing file: {missing}" in again.output
    assert "orphan" not in again.output
