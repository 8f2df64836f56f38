"""Batch work on search results: each photo decided on its own, withdrawn ones refused by name."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from archive.batch import services
from archive.batch.services import Batch, BatchAction, BatchRefused, Result, run_batch
from archive.consent.intake import withdraw_consent
from archive.core.audit import AuditEvent
from archive.exhibitions.models import Exhibition
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.people.models import Vocabulary
from archive.photos.models import Photo, PhotoStatus
from archive.search.index import apply_pending_changes
from archive.search.query import SearchRequest, search
from tests.search.conftest import term
from tests.test_html_validity import checker_messages


@pytest.fixture
def bench(make_user, make_person, make_photo):
    """Nine approved bench photos with no one shown, and one of someone who withdrew consent."""
    curator = make_user("curator")
    photos = [
        make_photo(title=f"Bench work {n}", caption="At the bench.", status="approved")
        for n in range(1, 10)
    ]
    grace = make_person("Grace Adeyemi", scopes=["internal", "web"])
    withdrawn = make_photo(
        title="Soldering a sensor", caption="At the bench.", people=[grace], status="approved"
    )
    withdraw_consent(grace.consent_forms[0], by=None, on=date.today())
    apply_pending_changes()
    return curator, [*photos, withdrawn]


def events(action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).filter_by(action=action)).scalars())


def by_result(report) -> dict[str, list[str]]:
    return {result: [outcome.photo.title for outcome in report.of(result)] for result in Result}


def test_a_department_is_added_to_the_ticked_photos_but_the_withdrawn_one(bench):
    curator, photos = bench
    chemistry = term(Vocabulary.DEPARTMENT, "Chemistry")
    batch = Batch(BatchAction.TAGS, [p.id for p in photos], term_ids=[chemistry.id])

    report = run_batch(batch, curator)

    outcomes = by_result(report)
    assert len(outcomes["done"]) == 9 and outcomes["unchanged"] == []
    [refused] = report.of(Result.REFUSED)
    assert refused.photo.title == "Soldering a sensor"
    assert refused.reason == "withdrawn: Grace Adeyemi withdrew consent"
    assert report.done == "Added department Chemistry"
    assert [photo.id for photo in photos if chemistry in photo.tags] == [p.id for p in photos[:9]]
    assert sorted(e.target_id for e in events("photo.tags_added")) == [p.id for p in photos[:9]]
    # The index follows: the department facet counts the nine.
    results = search(SearchRequest("bench"), curator.role)
    assert dict(results.facets["department"]) == {"chemistry": 9}


def test_a_photo_with_the_tags_already_is_left_as_it_was(bench):
    curator, photos = bench
    physics = term(Vocabulary.DEPARTMENT, "Physics")
    run_batch(Batch(BatchAction.TAGS, [photos[0].id], term_ids=[physics.id]), curator)
    apprentice = term(Vocabulary.JOB_ROLE, "Apprentice")
    batch = Batch(BatchAction.TAGS, [p.id for p in photos[:2]], term_ids=[physics.id])

    outcomes = by_result(run_batch(batch, curator))

    assert outcomes == {"done": ["Bench work 2"], "unchanged": ["Bench work 1"], "refused": []}
    both = Batch(BatchAction.TAGS, [photos[0].id], term_ids=[physics.id, apprentice.id])
    assert run_batch(both, curator).done == "Added department Physics and job role Apprentice"
    assert len(events("photo.tags_added")) == 3  # one per photo changed, none for the unchanged


def test_all_matching_is_the_whole_search_found_again_not_the_page(bench, make_photo):
    curator, _photos = bench
    make_photo(title="Glassblowing", caption="A flame.", status="approved")
    apply_pending_changes()
    physics = term(Vocabulary.DEPARTMENT, "Physics")
    everything = SearchRequest("bench", per_page=2)  # the page showed two; all ten match

    report = run_batch(
        Batch(BatchAction.TAGS, all_matching=everything, term_ids=[physics.id]), curator
    )

    assert len(report.of(Result.DONE)) == 9 and len(report.of(Result.REFUSED)) == 1
    glass = db.session.execute(select(Photo).filter_by(title="Glassblowing")).scalar_one()
    assert glass.tags == []


def test_more_than_the_limit_is_refused_whole_and_changes_nothing(bench, monkeypatch):
    curator, photos = bench
    monkeypatch.setattr(services, "BATCH_LIMIT", 5)
    physics = term(Vocabulary.DEPARTMENT, "Physics")
    everything = SearchRequest("bench")

    with pytest.raises(BatchRefused, match="That is 10 photos; a batch changes at most 5"):
        run_batch(Batch(BatchAction.TAGS, all_matching=everything, term_ids=[physics.id]), curator)
    with pytest.raises(BatchRefused, match="at most 5"):
        run_batch(Batch(BatchAction.TAGS, [p.id for p in photos], term_ids=[physics.id]), curator)
    assert events("photo.tags_added") == []


@pytest.mark.parametrize(
    "batch, message",
    [
        (Batch(BatchAction.TAGS, [1]), "Choose a job role or a department"),
        (Batch(BatchAction.LICENCE, [1], licence_id=999), "Choose the licence"),
        (Batch(BatchAction.EXHIBITION, [1]), "Choose the exhibition"),
        (Batch(BatchAction.APPROVE, []), "Tick the photos to change first"),
        (Batch(BatchAction.APPROVE, all_matching=SearchRequest("nothing-like-this")), "Tick"),
    ],
)
def test_an_incomplete_batch_is_refused_with_a_sentence(bench, batch, message):
    curator, _ = bench
    with pytest.raises(BatchRefused, match=message):
        run_batch(batch, curator)


def test_the_licence_is_set_and_written_into_the_images(bench):
    curator, photos = bench
    cc_by = licence_by_code("CC-BY-4.0")
    photos[1].licence = cc_by
    db.session.commit()
    thumb_before = photos[0].derivative("thumb").sha256
    batch = Batch(BatchAction.LICENCE, [p.id for p in (photos[0], photos[1], photos[9])],
                  licence_id=cc_by.id)  # fmt: skip

    outcomes = by_result(run_batch(batch, curator))

    assert outcomes == {
        "done": ["Bench work 1"],
        "unchanged": ["Bench work 2"],
        "refused": ["Soldering a sensor"],
    }
    db.session.refresh(photos[0])
    assert photos[0].licence.code == "CC-BY-4.0"
    assert photos[0].derivative("thumb").sha256 != thumb_before  # new credit, new file
    assert [e.detail for e in events("photo.licence_set")] == ["CC-BY-4.0"]


def test_photos_are_added_to_an_exhibition_one_by_one(bench, make_exhibition):
    curator, photos = bench
    exhibition = make_exhibition([photos[0]], published=False)
    batch = Batch(BatchAction.EXHIBITION, [p.id for p in photos[:3]] + [photos[9].id],
                  exhibition_id=exhibition.id)  # fmt: skip

    outcomes = by_result(run_batch(batch, curator))

    assert outcomes == {
        "done": ["Bench work 2", "Bench work 3"],
        "unchanged": ["Bench work 1"],
        "refused": ["Soldering a sensor"],
    }
    exhibition = db.session.get(Exhibition, exhibition.id)
    assert [item.photo.title for item in exhibition.items] == [
        "Bench work 1", "Bench work 2", "Bench work 3",
    ]  # fmt: skip
    assert len(events("exhibition.items_added")) == 1 + 2  # the fixture's, then one per photo


def test_approval_takes_those_ready_and_names_the_others_with_why(bench, make_photo):
    curator, photos = bench
    ready = make_photo(title="Ready")
    unlicensed = make_photo(title="No licence", licence=None)
    taken_out = make_photo(title="Taken out", status=PhotoStatus.WITHDRAWN)
    batch = Batch(BatchAction.APPROVE, [p.id for p in (ready, unlicensed, photos[0], taken_out)])

    report = run_batch(batch, curator)

    reasons = {o.photo.title: o.reason for o in report.of(Result.REFUSED)}
    assert [o.photo.title for o in report.of(Result.DONE)] == ["Ready"]
    assert reasons == {
        "No licence": "choose a licence before approving",
        "Bench work 1": "this photo is already approved",
        "Taken out": "withdrawn: it was taken out of use",
    }
    assert db.session.get(Photo, ready.id).status == PhotoStatus.APPROVED
    assert [e.target_id for e in events("photo.approved")] == [ready.id]


def test_the_search_page_offers_curators_the_batch_form_and_the_report_names_each(
    client, login, bench
):
    curator, _photos = bench
    login(curator)
    page = client.get("/search?q=bench").get_data(as_text=True)
    assert (
        len(re.findall(r'<input type="checkbox" name="photo" value="\d+" form="batch-form">', page))
        == 10
    )
    assert 'action="/search/batch?q=bench"' in page
    chemistry = term(Vocabulary.DEPARTMENT, "Chemistry")

    response = client.post(
        "/search/batch?q=bench",
        data={"which": "all", "department": chemistry.id, "job_role": "0", "action": "tags"},
    )

    text = " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]  # what matched may be EDI answers
    assert "Added department Chemistry: done for 9; refused for 1." in text
    assert "Refused for 1 “Soldering a sensor” — withdrawn: Grace Adeyemi withdrew consent" in text


def test_a_post_without_a_change_chosen_is_a_400_changing_nothing(client, login, bench):
    curator, photos = bench
    login(curator)
    response = client.post("/search/batch", data={"which": "ticked", "photo": photos[0].id})
    assert response.status_code == 400
    assert "Choose a change with one of the form&#39;s buttons" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [None, "contributor", "comms"])
def test_others_see_no_batch_form(client, login_as, bench, role):
    if role:
        login_as(role)
    page = client.get("/search?q=bench").get_data(as_text=True)
    assert "batch-form" not in page and "Bench work 1" in page


def test_the_form_the_report_and_a_refusal_are_valid_html(client, login, bench, tmp_path):
    curator, photos = bench
    login(curator)
    chemistry = term(Vocabulary.DEPARTMENT, "Chemistry")
    pages = {
        "search": client.get("/search?q=bench"),
        "report": client.post(
            "/search/batch?q=bench",
            data={"photo": [p.id for p in photos], "department": chemistry.id, "action": "tags"},
        ),
        "refusal": client.post("/search/batch", data={"photo": photos[0].id, "action": "tags"}),
    }
    assert [response.status_code for response in pages.values()] == [200, 200, 400]
    files = []
    for name, response in pages.items():
        files.append(str(tmp_path / f"{name}.html"))
        (tmp_path / f"{name}.html").write_bytes(response.get_data())
    errors = [m for m in checker_messages(files) if m["type"] in ("error", "non-document-error")]
    assert errors == []
