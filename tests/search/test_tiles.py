"""Search tiles say each photo's licence and whether the person searching may download it."""

import re

import pytest

from archive.search.index import apply_pending_changes


@pytest.fixture
def two_photos(make_user, make_person, make_photo):
    """A photo cleared for press use (CC BY) and one cleared for the web only."""
    make_user("curator")
    press = make_person("Priya Raman", scopes=["internal", "web", "press"])
    web_only = make_person("Tom Gallagher", scopes=["internal", "web"])
    make_photo(title="Glassblowing", people=[press], licence="CC-BY-4.0", status="approved")
    make_photo(title="Lathe work", people=[web_only], status="approved")
    apply_pending_changes()


def tiles(client) -> dict[str, str]:
    """Return each search tile's text, by the photo's title."""
    html = client.get("/search").get_data(as_text=True)
    texts = [
        re.sub(r"<[^>]+>|\s+", " ", tile).strip()
        for tile in re.findall(r'<li class="tile">(.*?)</li>', html, re.S)
    ]
    return {
        title: text for text in texts for title in ("Glassblowing", "Lathe work") if title in text
    }


@pytest.mark.parametrize(
    "role, downloadable",
    [
        (None, set()),
        ("contributor", set()),
        ("comms", {"Glassblowing"}),
        ("curator", {"Glassblowing"}),
    ],
)
def test_tiles_show_the_licence_and_what_the_viewer_may_download(
    client, login_as, two_photos, role, downloadable
):
    if role:
        login_as(role)
    shown = tiles(client)
    assert "CC-BY-4.0" in shown["Glassblowing"] and "INST-USE" in shown["Lathe work"]
    assert {title for title, text in shown.items() if "Can download" in text} == downloadable
