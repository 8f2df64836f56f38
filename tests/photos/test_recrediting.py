"""A changed credit is written into new derivative files; the old ones go."""

import hashlib

import pytest

from archive.licences.services import LICENCE_FIELDS, licence_by_code, save_licence
from archive.photos.services import approve, update_description
from tests.downloads.test_embedding import alt, xmp_description, xmp_text
from tests.fixtures.photos import stored_files


def stored(derivative) -> bytes:
    with derivative.open() as file:
        return file.read()


def credit_of(derivative) -> str | None:
    return xmp_text(xmp_description(stored(derivative)), "photoshop:Credit")


def files_of(photo) -> dict[str, str]:
    return {derivative.kind: derivative.storage_key for derivative in photo.derivatives}


@pytest.fixture
def photo(make_photo):
    return make_photo(photographer="Jo Whitfield", licence="CC-BY-4.0", size=(3000, 2000))


def test_a_new_photographer_makes_new_files_with_the_new_credit(app, photo):
    before = files_of(photo)
    assert credit_of(photo.derivatives[0]) == (
        "Photo: Jo Whitfield / University Technical Services, CC BY 4.0"
    )

    update_description(
        photo,
        title=photo.title,
        caption="",
        alt_text=photo.alt_text,
        photographer="Zoë Ó Súilleabháin",
        language="en",
    )

    after = files_of(photo)
    assert set(after.values()).isdisjoint(before.values())  # new hashes, so new URLs
    for derivative in photo.derivatives:
        data = stored(derivative)
        assert hashlib.sha256(data).hexdigest() == derivative.sha256
        assert derivative.size_bytes == len(data)
        assert credit_of(derivative) == (
            "Photo: Zoë Ó Súilleabháin / University Technical Services, CC BY 4.0"
        )
    keys = stored_files(app)
    assert set(after.values()) <= set(keys)
    assert not set(before.values()) & set(keys)  # the old files are gone


def test_an_edit_keeping_the_credit_keeps_the_files(app, photo):
    before = files_of(photo)

    update_description(
        photo,
        title="Another title",
        caption="New",
        alt_text="A lathe",
        photographer="Jo Whitfield",
        language="en",
    )

    assert files_of(photo) == before


def test_editing_a_licence_recredits_its_photos(app, photo, make_user):
    before = files_of(photo)
    licence = licence_by_code("CC-BY-4.0")
    fields = {name: getattr(licence, name) for name in LICENCE_FIELDS}

    save_licence(
        licence,
        {**fields, "credit_template": "{photographer} for {institution} (CC BY 4.0)"},
        make_user("admin"),
    )

    assert set(files_of(photo).values()).isdisjoint(before.values())
    for derivative in photo.derivatives:
        assert credit_of(derivative) == "Jo Whitfield for University Technical Services (CC BY 4.0)"
    assert not set(before.values()) & set(stored_files(app))


def test_approving_with_a_licence_writes_its_credit_and_terms(app, make_photo, make_user):
    pending = make_photo(photographer="Jo Whitfield", licence=None)
    for derivative in pending.derivatives:  # no licence yet: nothing to say
        assert b"http://ns.adobe.com/xap/1.0/" not in stored(derivative)

    approve(pending, make_user("curator"), tag_ids=[], licence_id=licence_by_code("ARR").id)

    for derivative in pending.derivatives:
        description = xmp_description(stored(derivative))
        assert xmp_text(description, "photoshop:Credit") == "© Jo Whitfield. All rights reserved."
        assert "written permission" in xmp_text(description, alt("xmpRights:UsageTerms"))
