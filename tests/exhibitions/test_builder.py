"""The builder's picker says which photos would block publishing; items hint their alt text."""

from archive.search.index import apply_pending_changes


def test_the_picker_marks_photos_that_would_block_publishing(
    client, login_as, make_exhibition, make_photo, make_person
):
    cleared = make_photo(title="Lathe work", alt_text="A rod on a lathe", status="approved")
    person = make_person("Tomas Varga", scopes=["internal"])  # no web consent
    make_photo(title="Lathe apprentice", status="approved", people=[person])
    exhibition = make_exhibition([cleared], published=False)
    apply_pending_changes()
    login_as("curator")
    html = client.get(f"/curate/{exhibition.id}?q=lathe").get_data(as_text=True)
    assert "1 of the 2 photos found would stop this exhibition being published" in html
    assert html.count("Would block publishing:") == 1
    assert "Would block publishing: Tomas Varga" in html


def test_an_items_alt_text_field_names_the_photos_own(
    client, login_as, make_exhibition, make_photo
):
    described = make_photo(title="Lathe work", alt_text="A rod on a lathe", status="approved")
    bare = make_photo(title="Store", alt_text="", status="approved")
    exhibition = make_exhibition([described, bare], published=False)
    login_as("curator")
    html = client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    assert 'placeholder="A rod on a lathe"' in html
    assert "Leave blank to use the photo&#39;s own: “A rod on a lathe”" in html
    assert "The photo has no alt text of its own: write one here, or publishing is refused." in html
    assert html.count('<details class="item-details">') == 2
