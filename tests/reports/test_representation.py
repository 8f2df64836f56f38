"""The representation report counts people and photos, and never shows a count from 1 to 4."""

import codecs
import csv
import io

import pytest

from archive.extensions import db
from archive.people.edi import add_attribute, edi_attributes, set_answers
from archive.people.models import Person
from archive.reports.services import FEWER_THAN, representation, suppressed


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, FEWER_THAN), (4, FEWER_THAN), (5, 5), (12, 12)]
)
def test_counts_from_one_to_four_are_suppressed(count, shown):
    assert suppressed(count) == shown


@pytest.fixture
def staff(make_user, make_person, make_photo):
    """Seven women and two men who answered the gender question, each in an approved photo."""
    make_user("curator")
    gender = next(a for a in edi_attributes() if a.key == "gender")
    option = {o.label: o.id for o in gender.options}
    for index, label in enumerate(["Woman"] * 7 + ["Man"] * 2):
        person = make_person(f"Person {index}", scopes=["internal"])
        with db.session.begin_nested():
            set_answers(person, {gender.id: (option[label], "")}, actor=None)
        db.session.commit()
        make_photo(people=[person], status="approved")
    return gender


def row(tables, title, label):
    table = next(t for t in tables if t.title == title)
    return next(r for r in table.rows if r.label == label)


def test_the_report_counts_and_suppresses(staff):
    tables = representation()
    women = row(tables, "Gender", "Woman")
    assert (women.people, women.photos) == (7, 7) and women.people_share == 1.0
    men = row(tables, "Gender", "Man")
    assert (men.people, men.photos) == (FEWER_THAN, FEWER_THAN) and men.people_share == 0.0
    assert row(tables, "Gender", "Non-binary").people == 0
    assert row(tables, "Disability", "Not answered").people == 9


def test_a_small_group_hides_its_photo_count_even_when_large(make_person, make_photo, staff):
    # Two men shown in seven photos: "fewer than 5" people must not come with "7" photos.
    men = Person.query.filter(Person.name.in_(["Person 7", "Person 8"])).all()
    for _ in range(5):
        make_photo(people=men, status="approved")
    men_row = row(representation(), "Gender", "Man")
    assert (men_row.people, men_row.photos) == (FEWER_THAN, FEWER_THAN)


def test_the_page_and_csv_show_no_small_count(client, login_as, staff):
    login_as("curator")
    page = client.get("/reports/representation").get_data(as_text=True)
    assert "fewer than 5" in page
    rows = list(
        csv.reader(io.StringIO(client.get("/reports/representation.csv").data.decode("utf-8-sig")))
    )
    assert ["Gender", "Woman", "7", "7"] in rows
    assert ["Gender", "Man", "fewer than 5", "fewer than 5"] in rows
    for line in rows[1:]:
        for value in line[2:]:
            assert value not in {"1", "2", "3", "4"}, line


@pytest.mark.parametrize("role", ["contributor", "comms"])
def test_only_curators_and_admins_see_the_report(client, login_as, role):
    login_as(role)
    assert client.get("/reports/representation").status_code == 403
    assert client.get("/reports/representation.csv").status_code == 403


def test_the_report_for_one_exhibition(client, login_as, staff, make_exhibition):
    from archive.photos.models import Photo

    women = [p for p in Photo.query.all() if p.people[0].name in {f"Person {n}" for n in range(5)}]
    exhibition = make_exhibition(women)
    tables = representation([photo.id for photo in women])
    assert (row(tables, "Gender", "Woman").people, row(tables, "Gender", "Man").people) == (5, 0)
    login_as("curator")
    csv_text = client.get(f"/reports/representation.csv?exhibition={exhibition.id}").get_data(
        as_text=True
    )
    assert "Gender,Woman,5,5" in csv_text


def test_the_csv_keeps_formulas_as_text_and_accents(client, login_as, staff):
    add_attribute("pronouns", '=HYPERLINK("http://x","click")', ["+1", "@SUM(A1)", "Émilie’s"])
    login_as("curator")
    data = client.get("/reports/representation.csv").get_data()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["characteristic", "category", "people", "approved photos"]
    labels = {(title, label) for title, label, *_ in rows[1:]}
    title = """'=HYPERLINK("http://x","click")"""
    assert {(title, "'+1"), (title, "'@SUM(A1)"), (title, "Émilie’s")} <= labels
    assert ["Gender", "Woman", "7", "7"] in rows
