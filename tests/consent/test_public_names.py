"""A child's name never reaches what is published: a neutral wording stands in for it."""

import json
from datetime import date, timedelta

import pytest

from archive.consent.public_names import without_names
from archive.downloads.services import credits_for
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import PhotoStatus

TODAY = date.today()


def test_the_full_name_and_each_part_become_the_wording_capitalised_at_a_sentence_start(app):
    grace = Person(name="Grace Okafor")
    caption = "Grace Okafor at the lathe. Then grace smiles; OKAFOR's weld"
    assert without_names(caption, [grace]) == (
        "A young participant at the lathe. Then a young participant smiles; "
        "a young participant's weld"
    )
    assert without_names("Graceful work by Okafors", [grace]) == "Graceful work by Okafors"


@pytest.fixture
def childs_photo(make_user, make_person, make_photo, make_exhibition):
    """Grace, 15, whose guardian agreed to the web, in a photo of a public exhibition."""
    make_user("curator")
    grace = make_person("Grace Okafor", scopes=["internal", "web", "exhibition"])
    grace.born_on = TODAY.replace(year=TODAY.year - 15) - timedelta(days=1)
    form = grace.consent_forms[0]
    form.guardian_name, form.guardian_relationship = "Ruth Okafor", "Mother"
    form.guardian_contact, form.guardian_allows_web = "ruth.okafor@example.org", True
    db.session.commit()
    photo = make_photo(
        people=[grace],
        status=PhotoStatus.APPROVED,
        title="Grace's first weld",
        caption="Grace Okafor at the lathe in the physics workshop.",
        alt_text="Grace Okafor welding a bracket",
    )
    return grace, photo, make_exhibition([photo])


def _visitor_pages(client, photo, exhibition) -> dict[str, str]:
    pages = {
        "photo page": f"/photos/{photo.id}",
        "gallery": f"/exhibitions/{exhibition.slug}",
        "IIIF manifest": f"/exhibitions/{exhibition.slug}/manifest.json",
        "API": f"/api/photos/{photo.id}",
        "search": "/search?q=lathe",
        "API search": "/api/search?q=lathe",
    }
    texts = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = response.get_data(as_text=True)
    return texts


def test_no_published_text_names_a_child(client, childs_photo):
    _, photo, exhibition = childs_photo
    for name, text in _visitor_pages(client, photo, exhibition).items():
        assert "Okafor" not in text and "Grace" not in text, name
        assert "young participant" in text, name
    # Nor can a visitor find the photo by the child's name.
    assert "0 photos" in client.get("/search?q=Okafor").get_data(as_text=True)

    credits = credits_for(photo, "University", "https://archive.example.ac.uk")
    written = json.dumps([credits.title, credits.description, credits.alt_text, credits.people])
    assert "Okafor" not in written and "Grace" not in written


def test_curators_see_the_name_and_their_export_is_as_published(
    client, login, make_user, childs_photo
):
    grace, photo, exhibition = childs_photo
    login(make_user("curator", email="cora@example.org"))
    assert "Grace Okafor at the lathe" in client.get(f"/photos/{photo.id}").get_data(as_text=True)
    export = client.get(f"/curate/{exhibition.id}/export.csv").get_data(as_text=True)
    assert "A young participant at the lathe" in export and "Okafor" not in export
    client.post("/logout")
    grace.born_on = date(2000, 1, 1)
    grace.consent_forms[0].signed_on = date(2025, 1, 1)  # signed by her, as an adult
    db.session.commit()
    page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert "Grace Okafor at the lathe" in page
