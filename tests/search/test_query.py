"""Search: stemming, phrases, fields, ranges, facets, snippets, suggestions, bad queries, roles."""

from datetime import date, timedelta

import pytest

from archive.auth.models import Role
from archive.search.index import searcher
from archive.search.query import SearchRequest, search
from archive.search.query_language import parse_query

CURATOR = Role.CURATOR


def found(text, role=CURATOR, **options):
    return search(SearchRequest(text=text, **options), role)


def ids(results):
    return set(results.photo_ids)


def test_stemming_finds_other_forms_of_a_word(archive):
    assert ids(found("technicians")) == {archive["spectrometer"].id, archive["welding"].id}
    assert archive["welding"].id in ids(found("welded"))


def test_phrases_keep_their_word_order(archive):
    assert ids(found('"mass spectrometer"')) == {archive["spectrometer"].id, archive["pending"].id}
    assert ids(found('"spectrometer mass"')) == set()


def test_field_filters_and_ranges(archive):
    assert ids(found('role:"laboratory technician"')) == {archive["spectrometer"].id}
    assert ids(found("year:2019")) == {archive["welding"].id}
    assert ids(found("year:[2020 TO 2023]")) == {
        archive["spectrometer"].id,
        archive["lathe"].id,
        archive["pending"].id,
    }
    assert ids(found("person:priya")) == {archive["spectrometer"].id}
    assert ids(found("lathe OR welding")) == {archive["lathe"].id, archive["welding"].id}
    assert ids(found("technician NOT welds")) == {archive["spectrometer"].id}


def test_facet_counts_follow_the_query(archive):
    results = found("technician")
    assert dict(results.facets["year"]) == {"2021": 1, "2019": 1}
    assert dict(results.facets["role"]) == {"laboratory technician": 1, "workshop technician": 1}
    assert dict(results.facets["licence"]) == {"inst-use": 1, "cc-by-4.0": 1}
    narrowed = found("technician", filters={"role": "Laboratory technician"})
    assert ids(narrowed) == {archive["spectrometer"].id}


def test_snippets_mark_the_matches_and_escape_the_caption(archive, make_photo):
    from archive.search.index import apply_pending_changes

    hostile = make_photo(caption="Bay <script>alert(1)</script> for welding", status="approved")
    apply_pending_changes()
    snippet = found("welding").snippets[hostile.id]
    assert "<mark>welding</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_best_matches_come_first_as_whoosh_ranks_them(archive):
    # Both say "spectrometer" three times (the title counts twice); the shorter text wins.
    assert found("spectrometer").photo_ids == [archive["pending"].id, archive["spectrometer"].id]
    reader = searcher()
    for text in ["spectrometer", "mass spectrometer", "technician OR lathe", "steel NOT brass"]:
        query, _ = parse_query(text, reviewer=True)
        expected = [hit["id"] for hit in reader.search(query, limit=None)]
        one_by_one = [found(text, per_page=1, page=page).photo_ids for page in (1, 2, 3, 4)]
        assert [str(i) for page in one_by_one for i in page] == expected, text


def test_a_misspelling_gets_a_suggestion(archive):
    results = found("spectromter")
    assert results.total == 0
    assert results.suggestion == "spectrometer"


@pytest.mark.parametrize(
    "text",
    [
        "year:[2019 TO",
        "title:(lathe OR",
        "AND OR NOT",
        '"unclosed lathe',
        "year:abc",
        "role:",
        ":::",
        "lathe)",
        "*",
        "((((",
    ],
)
def test_malformed_queries_never_raise_and_are_read_as_words(archive, text):
    results = found(text)
    if "lathe" in text:
        assert archive["lathe"].id in ids(results)


def test_sort_by_date_taken_and_pages(archive):
    newest_first = found("", sort="taken").photo_ids
    assert newest_first[0] == archive["lathe"].id
    first = found("", per_page=2, page=1)
    second = found("", per_page=2, page=2)
    assert first.pages == 2 and not set(first.photo_ids) & set(second.photo_ids)
    assert len(first.photo_ids) + len(second.photo_ids) == first.total == 4


def test_each_role_finds_exactly_what_it_may(archive):
    everything = {photo.id for photo in archive.values()}
    approved = everything - {archive["pending"].id}
    assert ids(found("", CURATOR)) == everything
    assert ids(found("", Role.ADMIN)) == everything
    # Press and the web: only the photo of someone who agreed, and the one showing nobody.
    assert ids(found("", Role.COMMS)) == {archive["spectrometer"].id, archive["lathe"].id}
    assert ids(found("", None)) == {archive["spectrometer"].id, archive["lathe"].id}
    assert ids(found("", Role.CONTRIBUTOR)) == approved


def test_edi_fields_answer_curators_only(archive):
    assert ids(found("gender:woman", CURATOR)) == {archive["spectrometer"].id}
    for role in (Role.COMMS, None, Role.CONTRIBUTOR):
        assert ids(found("gender:woman", role)) == set()
        assert ids(found("edi_gender:woman", role)) == set()


def test_expiry_counts_on_the_day_without_reindexing(archive, make_user, make_person, make_photo):
    from archive.search.index import apply_pending_changes

    person = make_person("Mei Lin", scopes=["press"], expires_on=date.today())
    photo = make_photo(people=[person], status="approved", title="Cryostat fill")
    apply_pending_changes()
    assert photo.id in ids(search(SearchRequest("cryostat"), Role.COMMS))
    tomorrow = date.today() + timedelta(days=1)
    assert photo.id not in ids(search(SearchRequest("cryostat"), Role.COMMS, today=tomorrow))


def test_the_api_answers_as_designed(client, archive):
    body = client.get("/api/search?q=spectrometer").json
    assert body["total"] == 1  # a visitor: the pending one is not theirs to find
    [result] = body["results"]
    assert result["id"] == archive["spectrometer"].id
    assert result["title"] == "Calibrating the mass spectrometer"
    assert result["thumb_url"].startswith("http://127.0.0.1:5000/media/")
    assert set(body["facets"]) == {"role", "department", "year", "licence"}


def test_the_search_page_shows_results_facets_and_counts(client, login_as, archive):
    login_as("comms")
    page = client.get("/search?q=technician").get_data(as_text=True)
    assert "1 photo for “technician”" in page
    assert "Calibrating the mass spectrometer" in page and "Apprentice welding" not in page
    assert "Laboratory technician</a> (1)" in page
    assert "<mark>technicians</mark>" in page
