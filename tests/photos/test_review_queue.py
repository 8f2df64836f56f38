"""A curator works through the queue: ordered, filtered, photo after photo, several at once."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from archive.catalogue.review_queue import (
    QueueFilters,
    approve_selected,
    filtered_queue,
    next_in_queue,
)
from archive.consent.models import ConsentForm
from archive.consent.rules import current_consent_sql, has_current_consent
from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.people.models import Person, Term, Vocabulary
from archive.photos.models import Photo, PhotoStatus


def titles(photos) -> list[str]:
    return [photo.title for photo in photos]


def department(label: str) -> Term:
    return db.session.execute(
        select(Term).filter_by(vocabulary=Vocabulary.DEPARTMENT, label=label)
    ).scalar_one()


@pytest.fixture
def queue(make_user, make_person, make_photo):
    """Four pending photos by two uploaders, and one already approved."""
    ada, ben = make_user("contributor", name="Ada"), make_user("contributor", name="Ben")
    consenting = make_person("Grace Adeyemi", scopes=["internal", "web"])
    unrecorded = make_person("Joseph Okafor")
    unrecorded.department_id = department("Chemistry").id
    db.session.commit()
    photos = {
        "empty bench": make_photo(uploaded_by=ada, title="empty bench"),
        "Grace": make_photo(uploaded_by=ada, title="Grace", people=[consenting]),
        "Joseph": make_photo(uploaded_by=ben, title="Joseph", people=[unrecorded]),
        "unnamed": make_photo(
            uploaded_by=ben, title="unnamed", no_identifiable_people=False, licence=None
        ),
    }
    make_photo(uploaded_by=ada, title="done", status=PhotoStatus.APPROVED)
    return {"ada": ada, "ben": ben, **photos}


def test_the_queue_is_oldest_first_unless_newest_is_asked(queue):
    assert titles(filtered_queue(QueueFilters())) == ["empty bench", "Grace", "Joseph", "unnamed"]
    newest = titles(filtered_queue(QueueFilters(order="newest")))
    assert newest == ["unnamed", "Joseph", "Grace", "empty bench"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (lambda q: QueueFilters(uploader=q["ben"].id), ["Joseph", "unnamed"]),
        (lambda q: QueueFilters(department=department("Chemistry").id), ["Joseph"]),
        (lambda q: QueueFilters(people="with"), ["Grace", "Joseph"]),
        (lambda q: QueueFilters(people="without"), ["empty bench", "unnamed"]),
        # Joseph's consent is not recorded; no one in "unnamed" is named nor said to be absent.
        (lambda q: QueueFilters(missing_consent=True), ["Joseph", "unnamed"]),
        (lambda q: QueueFilters(uploader=q["ada"].id, people="with"), ["Grace"]),
        (lambda q: QueueFilters(uploader=q["ben"].id, missing_consent=True, order="newest"),
         ["unnamed", "Joseph"]),
    ],
)  # fmt: skip
def test_filters_combine(queue, filters, expected):
    assert titles(filtered_queue(filters(queue))) == expected


def test_a_department_tag_counts_as_well_as_the_department_of_someone_shown(queue):
    photo = queue["empty bench"]
    photo.tags = [department("Physics")]
    db.session.commit()
    assert titles(filtered_queue(QueueFilters(department=department("Physics").id))) == [
        "empty bench"
    ]


def test_next_follows_the_same_order_and_filters_and_ends(queue):
    with_people = QueueFilters(people="with")
    assert next_in_queue(with_people, queue["Grace"]) == queue["Joseph"]
    assert next_in_queue(with_people, queue["Joseph"]) is None
    newest = QueueFilters(order="newest")
    assert next_in_queue(newest, queue["Joseph"]) == queue["Grace"]
    # The photo just decided has left the queue: its place in the order still says what is next.
    queue["Grace"].status = PhotoStatus.APPROVED
    db.session.commit()
    assert next_in_queue(QueueFilters(), queue["Grace"]) == queue["Joseph"]


def test_photos_uploaded_at_the_same_moment_keep_one_order(queue):
    db.session.execute(update(Photo).values(uploaded_at=func.now()))  # one moment for all
    db.session.commit()
    order = titles(filtered_queue(QueueFilters()))
    assert order == ["empty bench", "Grace", "Joseph", "unnamed"]  # by id when the times tie
    assert next_in_queue(QueueFilters(), queue["Grace"]) == queue["Joseph"]


def test_approve_selected_approves_what_may_be_and_says_why_not(queue, make_user):
    curator = make_user("curator")
    queue["Grace"].tags = [department("Physics")]
    db.session.commit()
    outcomes = approve_selected(
        [queue["Grace"].id, queue["unnamed"].id, queue["Grace"].id, 999_999], curator
    )
    assert [(o.photo.title, o.approved, o.reason) for o in outcomes] == [
        ("Grace", True, ""),
        ("unnamed", False, "choose a licence before approving"),
    ]
    grace = db.session.get(Photo, queue["Grace"].id)
    assert grace.status == PhotoStatus.APPROVED and grace.reviewed_by_id == curator.id
    assert [t.label for t in grace.tags] == ["Physics"]  # the tags it had stay
    assert db.session.get(Photo, queue["unnamed"].id).status == PhotoStatus.PENDING
    events = AuditEvent.query.filter_by(action="photo.approved").all()
    assert [(e.actor_id, e.target_id) for e in events] == [(curator.id, grace.id)]


def test_approving_several_writes_one_audit_event_each(queue, make_user):
    curator = make_user("curator")
    chosen = [queue["empty bench"].id, queue["Grace"].id, queue["Joseph"].id]
    assert all(o.approved for o in approve_selected(chosen, curator))
    events = AuditEvent.query.filter_by(action="photo.approved").order_by(AuditEvent.id).all()
    assert [e.target_id for e in events] == chosen


@pytest.mark.parametrize(
    ("signed", "expires", "withdrawn", "scopes"),
    [
        (True, None, None, "web"),
        (False, None, None, "web"),
        (True, None, None, ""),
        (True, -1, None, "web"),
        (True, 0, None, "web"),  # expiring today still counts
        (True, None, 0, "web"),  # withdrawn today does not
        (True, None, 1, "web"),
    ],
)
def test_the_sql_form_of_current_consent_agrees_with_the_rule(
    make_person, signed, expires, withdrawn, scopes
):
    today = date.today()
    person = make_person()
    form = ConsentForm(
        person_id=person.id,
        signed_on=today - timedelta(days=30) if signed else None,
        expires_on=None if expires is None else today + timedelta(days=expires),
        withdrawn_on=None if withdrawn is None else today + timedelta(days=withdrawn),
        scope_codes=scopes,
        storage_key="x",
        sha256="0" * 64,
        size_bytes=1,
        content_type="application/pdf",
        original_filename="form.pdf",
    )
    db.session.add(form)
    db.session.commit()
    in_sql = db.session.execute(
        select(Person.id).where(Person.id == person.id, current_consent_sql(Person.id, today))
    ).scalar()
    assert (in_sql is not None) == has_current_consent(db.session.get(Person, person.id), today)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("order=random", "order"),
        ("uploader=abc", "uploader"),
        ("uploader=0", "uploader"),
        ("department=-3", "department"),
        ("people=some", "people"),
        ("missing_consent=1", "missing_consent"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, login_as, query, named):
    login_as("curator")
    response = client.get(f"/review?{query}")
    assert response.status_code == 400
    assert f"{named} must be" in response.get_data(as_text=True)


def test_the_queue_page_filters_by_a_bookmarkable_url_and_counts(client, login_as, queue):
    login_as("curator")
    page = client.get(f"/review?uploader={queue['ben'].id}&people=with").get_data(as_text=True)
    assert "1 photo awaiting review that matches these filters, oldest first." in page
    assert "Review “Joseph”" in page and "Review “Grace”" not in page
    # Each photo's review link carries the filters, so "next" follows the same queue.
    assert f"/review/{queue['Joseph'].id}?uploader={queue['ben'].id}&amp;people=with" in page


def test_save_and_next_goes_to_the_next_photo_of_the_same_queue(client, login_as, queue):
    login_as("curator")
    grace, joseph = queue["Grace"], queue["Joseph"]
    response = client.post(
        f"/review/{grace.id}?people=with",
        data={"licence": str(grace.licence_id), "approve": "Approve"},
    )
    assert response.headers["Location"] == f"/review/{joseph.id}?people=with#photo-heading"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Approved “Grace”. Next in the queue: “Joseph”." in page
    last = client.post(
        f"/review/{joseph.id}?people=with", data={"note": "Blurred", "reject": "Reject"}
    )
    assert last.headers["Location"] == "/review?people=with"
    page = client.get(last.headers["Location"]).get_data(as_text=True)
    assert "Rejected “Joseph”. That was the last photo in the queue." in page


def test_approve_selected_on_the_queue_page_reports_each_photo(client, login_as, queue):
    login_as("curator")
    response = client.post(
        "/review/approve?order=newest",
        data={"photos": [str(queue["Grace"].id), str(queue["unnamed"].id)]},
    )
    assert response.headers["Location"] == "/review?order=newest"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Approved 1: “Grace”." in page
    assert "Not approved: “unnamed” — Choose a licence before approving." in page
    nothing = client.post("/review/approve", data={})
    assert "none was selected" in client.get(nothing.headers["Location"]).get_data(as_text=True)
