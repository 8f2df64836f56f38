"""IIIF manifests as partners' tools read them: the official schema, iiif-prezi3, languages."""

import json
from datetime import datetime

import iiif_prezi3
import jsonschema
import pytest
from sqlalchemy import select

from archive.demo.data import DEMO_EDI, DEMO_PEOPLE
from archive.demo.loader import load_demo
from archive.exhibitions.iiif import IIIF_MEDIA_TYPE, iiif_rights
from archive.exhibitions.models import Exhibition, Visibility
from archive.extensions import db
from archive.licences.models import Licence
from archive.people.edi import edi_attributes
from tests.fixtures.app import ROOT

SCHEMA = json.loads((ROOT.parent / "shared" / "standards" / "iiif_3_0.json").read_text())
# What a canvas or the manifest may say in its metadata: nothing about who anyone is.
METADATA_LABELS = {
    "Photographer",
    "Date taken",
    "Job role",
    "Department",
    "Licence",
    "Published by",
    "Date published",
}


def schema_errors(manifest: dict) -> list[str]:
    validator = jsonschema.validators.validator_for(SCHEMA)(
        SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)]


def strings(node, path=()):
    """Yield (path, text) for every string in a JSON document, keys of language maps aside."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, (*path, key))
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, path)
    elif isinstance(node, str):
        yield path, node


def language_tags(node) -> set[str]:
    """Return the keys of every language map (label, summary, value) in a JSON document."""
    tags = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "summary", "value") and isinstance(value, dict):
                tags |= set(value)
            tags |= language_tags(value)
    elif isinstance(node, list):
        for value in node:
            tags |= language_tags(value)
    return tags


def fetch_manifest(client, exhibition: Exhibition) -> dict:
    key = exhibition.secret if exhibition.visibility is Visibility.UNLISTED else None
    response = client.get(
        f"/exhibitions/{exhibition.slug}/manifest.json", query_string={"key": key} if key else {}
    )
    assert response.status_code == 200, exhibition.slug
    assert response.headers["Content-Type"] == IIIF_MEDIA_TYPE
    return json.loads(response.get_data())


def test_every_demo_manifest_is_valid_iiif_in_its_languages_and_shows_no_edi(
    app, client, login_as, tmp_path
):
    app.config["SAMPLES_PATH"] = str(tmp_path / "no-camera-samples")  # slow, and show no one
    load_demo(echo=lambda line: None, photo_count=30)
    login_as("curator")  # who opens every exhibition, internal and unlisted too
    exhibitions = list(db.session.execute(select(Exhibition)).scalars())
    edi_labels = {option.label for attribute in edi_attributes() for option in attribute.options}
    names = [name for name, _, _ in DEMO_PEOPLE]
    assert {label for answers in DEMO_EDI.values() for label in answers if label} <= edi_labels
    tags = set()
    for exhibition in exhibitions:
        manifest = fetch_manifest(client, exhibition)
        assert schema_errors(manifest) == [], exhibition.slug
        loaded = iiif_prezi3.Manifest(**manifest)
        assert len(loaded.items) == len(manifest["items"]) > 0
        tags |= language_tags(manifest)
        for canvas in manifest["items"]:
            assert canvas["requiredStatement"]["value"]["en"]
            assert canvas["thumbnail"][0]["width"] <= 400
            labels = {entry["label"]["en"][0] for entry in canvas["metadata"]}
            assert labels <= METADATA_LABELS and "Licence" in labels
        assert {entry["label"]["en"][0] for entry in manifest["metadata"]} <= METADATA_LABELS
        for path, text in strings(manifest):
            assert text not in edi_labels, (exhibition.slug, path, text)
            if "summary" not in path:  # a caption may name who it shows, as the gallery does
                assert not any(name in text for name in names), (exhibition.slug, path, text)
        assert "ethnic" not in json.dumps(manifest).lower()
    assert {"en", "fr", "pl", "ar", "none"} <= tags
    arabic = next(e for e in exhibitions if e.language == "ar")
    assert fetch_manifest(client, arabic)["label"] == {"ar": [arabic.title]}


@pytest.mark.parametrize(
    ("url", "rights"),
    [
        ("https://creativecommons.org/licenses/by/4.0/", "http://creativecommons.org/licenses/by/4.0/"),
        ("https://creativecommons.org/licenses/by-nc/4.0", "http://creativecommons.org/licenses/by-nc/4.0/"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.fr", "http://creativecommons.org/licenses/by-sa/4.0/"),
        ("https://www.creativecommons.org/publicdomain/zero/1.0/legalcode", "http://creativecommons.org/publicdomain/zero/1.0/"),
        ("http://rightsstatements.org/vocab/InC/1.0/", "http://rightsstatements.org/vocab/InC/1.0/"),
        ("https://rightsstatements.org/page/NoC-US/1.0/?language=en", "http://rightsstatements.org/vocab/NoC-US/1.0/"),
        ("https://example.org/our-licence", None),
        ("https://creativecommons.org/about/", None),
        ("ftp://creativecommons.org/licenses/by/4.0/", None),
        ("", None),
    ],
)  # fmt: skip
def test_rights_take_the_http_form_the_schema_knows_or_are_left_out(url, rights):
    assert iiif_rights(url) == rights


def test_a_licence_without_a_rights_uri_says_what_applies(
    client, exhibit_photos, make_exhibition, make_photo
):
    own = Licence(
        code="OWN",
        name="Our own licence",
        terms="Ask the press office first.",
        url="https://example.org/licence",
    )
    db.session.add(own)
    db.session.commit()
    tagged = make_photo(title="Cryostat", alt_text="Vapour", status="approved", licence="OWN")
    tagged.taken_at = datetime(2024, 5, 6, 10, 30)
    exhibition = make_exhibition([*exhibit_photos[:2], tagged])
    manifest = fetch_manifest(client, exhibition)
    assert schema_errors(manifest) == []
    reserved, cc, own_licence = manifest["items"]
    # The archive's default licence has no URL: its name and terms stand in for rights.
    assert "rights" not in reserved
    assert reserved["requiredStatement"]["value"]["en"][1:] == [
        "Institution internal and promotional use",
        "May be used by the institution in its own internal and promotional material, "
        "printed or online, with the credit line. Not for third parties.",
    ]
    assert "rights" not in own_licence  # a URL the schema cannot take is not mangled into it
    assert own_licence["requiredStatement"]["value"]["en"][1:] == [
        '<a href="https://example.org/licence">Our own licence</a>',
        "Ask the press office first.",
    ]
    metadata = {e["label"]["en"][0]: e["value"] for e in own_licence["metadata"]}
    assert metadata["Date taken"] == {"none": ["2024-05-06"]}
    assert metadata["Licence"]["en"][0] == own_licence["requiredStatement"]["value"]["en"][1]
    assert cc["label"] == {"none": ["Lathe work"]}
    assert manifest["homepage"][0]["id"].endswith(f"/exhibitions/{exhibition.slug}")
    assert manifest["provider"][0]["homepage"][0]["id"] == "http://127.0.0.1:5000/"
    assert manifest["thumbnail"][0]["id"] == reserved["thumbnail"][0]["id"]


def test_the_cc_licence_is_the_canvas_rights(client, make_user, make_photo, make_exhibition):
    photo = make_photo(title="Lathe", alt_text="A lathe", status="approved", licence="CC-BY-4.0")
    canvas = fetch_manifest(client, make_exhibition([photo]))["items"][0]
    assert canvas["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert canvas["requiredStatement"]["value"] == {
        "en": ["Photo: Unknown / University Technical Services, CC BY 4.0"]
    }


def test_the_languages_set_in_the_edit_forms_tag_the_texts(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos[:1], visibility=Visibility.UNLISTED)
    photo = exhibit_photos[0]
    login_as("curator")
    edit = client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    assert '<option selected value="">Not set</option>' in edit
    saved = client.post(
        f"/curate/{exhibition.id}",
        data={
            "title": "Techniciens au travail",
            "summary": "Les ateliers.",
            "language": "fr",
            "use": "web",
            "visibility": "unlisted",
        },
    )
    assert saved.status_code == 302
    saved = client.post(
        f"/photos/{photo.id}/edit",
        data={"title": "Dmuchanie szkła", "alt_text": "Ręce", "caption": "", "language": "pl"},
    )
    assert saved.status_code == 302
    assert (
        client.get(f"/photos/{photo.id}/edit")
        .get_data(as_text=True)
        .count('<option selected value="pl">Polish</option>')
        == 1
    )
    refused = client.post(
        f"/photos/{photo.id}/edit", data={"title": "x", "alt_text": "y", "language": "xx"}
    )
    assert refused.status_code == 422
    manifest = fetch_manifest(client, exhibition)
    assert manifest["label"] == {"fr": ["Techniciens au travail"]}
    assert manifest["summary"] == {"fr": ["Les ateliers."]}
    assert manifest["homepage"][0]["language"] == ["fr"]
    assert manifest["homepage"][0]["id"].endswith(f"?key={exhibition.secret}")
    assert manifest["items"][0]["label"] == {"pl": ["Dmuchanie szkła"]}
    assert manifest["items"][0]["items"][0]["items"][0]["body"]["label"] == {"pl": ["Ręce"]}
    # The gallery tells screen readers and browsers the same languages (WCAG 3.1.2).
    gallery = client.get(f"/exhibitions/{exhibition.slug}?key={exhibition.secret}")
    page = gallery.get_data(as_text=True)
    assert '<h1 lang="fr">Techniciens au travail</h1>' in page
    assert '<p class="lead" lang="fr">Les ateliers.</p>' in page
    assert 'alt="Ręce" lang="pl"' in page
