"""Exhibitions about identity show only people who opted in to being featured in them."""

import pytest

from archive.consent.models import ConsentScope
from archive.exhibitions.consent import identity_framing
from archive.exhibitions.models import Exhibition, ExhibitionStatus
from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers

# Every use a consent form could grant before exhibitions about identity were asked about.
EARLIER_USES = ["internal", "exhibition", "web", "press"]


def woman(make_person, name, scopes):
    """Create a person who answered the gender question "Woman", with a consent form."""
    person = make_person(name, scopes=scopes)
    gender = next(a for a in edi_attributes() if a.key == "gender")
    answer = next(o.id for o in gender.options if o.label == "Woman")
    with db.session.begin_nested():
        set_answers(person, {gender.id: (answer, "")}, None)
    db.session.commit()
    return person


@pytest.fixture
def women(make_user, make_person, make_photo):
    """A photo of a woman whose consent predates the question, and one of a woman who opted in."""
    make_user("curator")
    earlier = woman(make_person, "Ada Earlier", EARLIER_USES)
    opted_in = woman(make_person, "Oona Optin", [scope.value for scope in ConsentScope])
    return [
        make_photo(
            title="Bench work",
            caption="Ada Earlier soldering a sensor board.",
            status="approved",
            people=[earlier],
        ),
        make_photo(
            title="Kiln room",
            caption="Oona Optin firing porcelain insulators.",
            status="approved",
            people=[opted_in],
        ),
    ]


def test_identity_exhibition_shows_only_people_who_opted_in(
    client, login_as, women, make_exhibition
):
    exhibition = make_exhibition(women, title="Women in technical roles", smart_rule="gender:woman")
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    # Shown here, Ada's caption would tell every visitor her gender: she never agreed to that.
    assert "Oona Optin firing porcelain" in gallery
    assert "Ada Earlier" not in gallery

    draft = make_exhibition(
        women, title="Technicians", summary="Women at the bench.", published=False
    )
    login_as("curator")
    response = client.post(f"/curate/{draft.id}/publish")
    assert response.status_code == 303
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Item 1 (“Bench work”) cannot be shown: Ada Earlier has no consent covering "
        "exhibitions about identity (e.g. women in technical roles)." in notice
    )
    assert db.session.get(Exhibition, draft.id).status == ExhibitionStatus.DRAFT


@pytest.mark.parametrize(
    ("title", "summary", "rule", "marked", "reasons"),
    [
        ("Lab life", "", "gender:woman", False, ["its smart rule searches people's EDI answers"]),
        ("Lab life", "", "ethnicity:white OR role:apprentice", False, ["its smart rule"]),
        ("Lab life", "", "edi_disability:disabled", False, ["its smart rule"]),
        ("Women in technical roles", "", "", False, ["its title or summary speaks of “Women”"]),
        ("Lab life", "Disabled technicians at work.", "", False, ["speaks of “Disabled”"]),
        ("Lab life", "Asian technicians in physics.", "", False, ["speaks of “Asian”"]),
        ("Lab life", "", "", True, ["it is marked as about identity"]),
        ("Lab life", "Glass, metal and wood.", "role:apprentice woman", False, []),
        ("Manual handling in laboratory management", "", "", False, []),
    ],
)
def test_an_exhibition_is_about_identity_by_its_rule_its_words_or_a_curators_mark(
    make_exhibition, title, summary, rule, marked, reasons
):
    exhibition = make_exhibition(
        [], title=title, summary=summary, smart_rule=rule, about_identity=marked
    )
    found = identity_framing(exhibition)
    assert len(found) == len(reasons)
    for reason, expected in zip(found, reasons, strict=True):
        assert reason.startswith(expected) or expected in reason


def test_a_curator_marks_an_exhibition_about_identity_and_is_told_what_it_means(
    client, login_as, women, make_exhibition
):
    exhibition = make_exhibition(women, title="Lab life")
    login_as("curator")
    assert 'id="identity-note"' not in client.get(f"/curate/{exhibition.id}").text
    client.post(
        f"/curate/{exhibition.id}",
        data={"title": "Lab life", "visibility": "public", "use": "web", "about_identity": "y"},
    )
    page = client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    assert "This exhibition is about identity</strong>: it is marked as about identity." in page
    assert "people are left out until\n      they opt in" in page
    with client.session_transaction() as session:
        session.clear()
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "Oona Optin" in gallery and "Ada Earlier" not in gallery


def test_the_builder_warns_when_a_smart_rule_uses_edi_answers(
    client, login_as, women, make_exhibition
):
    exhibition = make_exhibition([], title="Lab life", smart_rule="gender:woman")
    login_as("curator")
    page = client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    assert "its smart rule searches people&#39;s EDI answers" in page
    assert "Consent recorded before the archive asked this never covered it" in page
    # Each proposal says whether it could be shown, and who lacks which consent.
    assert (
        "Would not be shown: Ada Earlier has no consent covering exhibitions about identity" in page
    )
    assert page.count("Would not be shown") == 1


def test_an_internal_exhibition_about_identity_needs_the_opt_in_too(
    client, login_as, women, make_exhibition
):
    from archive.exhibitions.models import ExhibitionUse, Visibility

    exhibition = make_exhibition(
        women,
        title="Women in technical roles",
        visibility=Visibility.INTERNAL,
        use=ExhibitionUse.INTERNAL,
    )
    login_as("comms")
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "Oona Optin" in gallery and "Ada Earlier" not in gallery
