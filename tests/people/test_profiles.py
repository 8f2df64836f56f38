"""Career profiles: public only while the person holds the "profile" use, an adult, not erased."""

from datetime import date, timedelta

import pytest

from archive.consent.link import issue_link
from archive.consent.models import ConsentScope
from archive.consent.rules import holds_consent
from archive.exhibitions.featured import feature_profiles
from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers
from archive.profiles.models import Profile
from archive.profiles.services import STORY_MAX_CHARS, save_profile
from tests.fixtures.people import grant_consent


@pytest.fixture
def technician(make_user, make_person, make_photo):
    """A technician with no consent yet, an approved photo of her, a curator and her link."""
    curator = make_user("curator")
    person = make_person("Kemi Adebayo")
    photo = make_photo(people=[person], status="approved", title="Turning a brass fitting")
    return person, photo, curator, issue_link(person, curator)


def write_profile(person, photos, curator, story="Apprentice at 16, workshop lead at 30."):
    return save_profile(
        person,
        headline="Mechanical workshop lead",
        story=story,
        photo_ids=[photo.id for photo in photos],
        published=True,
        by=curator,
    )


def answer_link(client, token, scopes):
    """Answer the personal link as its person would, ticking these uses."""
    response = client.post(
        f"/my-consent/{token}", data={"scopes": scopes, "typed_name": "Kemi Adebayo"}
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def page(client, url) -> tuple[int, str]:
    with client.get(url) as response:
        return response.status_code, response.get_data(as_text=True)


def test_the_profile_use_is_its_own_and_never_implied(make_person):
    everything_else = [scope.value for scope in ConsentScope if scope is not ConsentScope.PROFILE]
    person = make_person("Kemi Adebayo", scopes=everything_else)
    assert not holds_consent(person, ConsentScope.PROFILE, date.today())
    assert ConsentScope.PROFILE.label.startswith("A public career profile")


def test_granting_the_use_through_the_link_publishes_and_withdrawing_removes_it(client, technician):
    person, photo, curator, token = technician
    profile = write_profile(person, [photo], curator)
    url = f"/profiles/{profile.slug}"
    # Written and published by a curator, but she has not agreed: no one sees it.
    assert page(client, url)[0] == 404
    assert "Kemi Adebayo" not in page(client, "/profiles/")[1]

    # The link asks for the use like any other, in the form's own words.
    assert ConsentScope.PROFILE.label in page(client, f"/my-consent/{token}")[1]
    answer_link(client, token, ["web", "profile"])
    status, html = page(client, url)
    assert status == 200
    assert "Mechanical workshop lead" in html and "workshop lead at 30" in html
    assert photo.derivative("display").sha256 in html
    assert url in page(client, "/profiles/")[1]
    # Asked again, so that the pages are now kept between visitors' requests.
    assert page(client, url)[0] == 200

    # She answers again keeping the web but not the profile: gone on the next request.
    answer_link(client, token, ["web"])
    assert page(client, url)[0] == 404
    assert url not in page(client, "/profiles/")[1]
    assert "Kemi Adebayo" not in page(client, "/profiles/")[1]

    # Given again, then everything withdrawn through the link: gone again.
    answer_link(client, token, ["profile", "web"])
    assert page(client, url)[0] == 200
    assert client.post(f"/my-consent/{token}/withdraw").status_code == 200
    assert page(client, url)[0] == 404
    assert url not in page(client, "/profiles/")[1]


def test_no_edi_answer_ever_reaches_a_profile(client, make_person, make_photo, make_user):
    curator = make_user("curator")
    person = make_person("Kemi Adebayo", scopes=["web", "profile"])
    gender = next(a for a in edi_attributes() if a.key == "gender")
    ethnicity = next(a for a in edi_attributes() if a.key == "ethnicity")
    with db.session.begin_nested():
        set_answers(
            person,
            {gender.id: (gender.options[0].id, "Zebracorn-Self"), ethnicity.id: (None, "Quokka")},
            actor=curator,
        )
    db.session.commit()
    photo = make_photo(people=[person], status="approved")
    profile = write_profile(person, [photo], curator)
    for url in (f"/profiles/{profile.slug}", "/profiles/"):
        status, html = page(client, url)
        assert status == 200 and "Kemi Adebayo" in html
        assert "Zebracorn-Self" not in html and "Quokka" not in html
        assert gender.options[0].label not in html
        assert gender.label not in html and ethnicity.label not in html


def test_a_minors_profile_is_never_shown(client, make_person, make_photo, make_user):
    curator = make_user("curator")
    person = make_person("Sam Okoro", scopes=["web", "profile"])
    person.born_on = date.today() - timedelta(days=16 * 365)
    form = person.consent_forms[0]
    # A guardian's consent, even to the web: the profile use counts for everything else…
    form.guardian_name, form.guardian_relationship = "Ada Okoro", "mother"
    form.guardian_contact, form.guardian_allows_web = "ada@example.org", True
    db.session.commit()
    assert holds_consent(person, ConsentScope.PROFILE, date.today())
    profile = write_profile(person, [make_photo(people=[person], status="approved")], curator)
    # …but a child's profile is never published, and their name appears nowhere public.
    assert page(client, f"/profiles/{profile.slug}")[0] == 404
    assert "Sam Okoro" not in page(client, "/profiles/")[1]


def test_only_photos_cleared_for_the_web_today_are_shown(
    client, make_person, make_photo, make_user
):
    curator = make_user("curator")
    person = make_person("Kemi Adebayo", scopes=["web", "profile"])
    colleague = make_person("Ola Bello", scopes=["internal"])  # not the web
    cleared = make_photo(people=[person], status="approved", title="At the lathe")
    with_colleague = make_photo(people=[person, colleague], status="approved", title="Pair")
    pending = make_photo(people=[person], title="In review")
    profile = write_profile(person, [cleared, with_colleague, pending], curator)
    status, html = page(client, f"/profiles/{profile.slug}")
    assert status == 200
    assert cleared.derivative("display").sha256 in html
    for hidden in (with_colleague, pending):
        assert not any(d.sha256 in html for d in hidden.derivatives), hidden.title
        assert hidden.title not in html
    # Each image shown is one the visitor's image route sends.
    with client.get(f"/media/{cleared.derivative('display').sha256}.jpg") as image:
        assert image.status_code == 200


def test_the_story_is_sanitised_and_an_overlong_one_refused(client, login, technician):
    person, photo, curator, _token = technician
    login(curator)
    edit = f"/people/{person.id}/profile"
    story = "**Lead** <script>alert(1)</script><img src=https://tracker.example/p.gif alt=x>"
    response = client.post(
        edit, data={"headline": "", "story": story, "photos": [str(photo.id)], "published": "y"}
    )
    assert response.status_code == 302
    profile = db.session.execute(db.select(Profile)).scalar_one()
    assert [chosen.photo_id for chosen in profile.photos] == [photo.id]

    too_long = client.post(edit, data={"story": "x" * (STORY_MAX_CHARS + 1), "published": "y"})
    assert too_long.status_code == 422
    assert f"it can be at most {STORY_MAX_CHARS:,}" in too_long.get_data(as_text=True)
    db.session.refresh(profile)
    assert profile.story == story and len(profile.photos) == 1  # nothing half-stored

    stranger = client.post(edit, data={"photos": ["99999"]})
    assert stranger.status_code == 422  # not one of the photos offered
    # No box ticked: a profile without photos.
    assert client.post(edit, data={"story": story, "published": "y"}).status_code == 302
    db.session.refresh(profile)
    assert profile.photos == []

    grant_consent(person, ["web", "profile"])
    with client.session_transaction() as session:
        session.clear()
    status, html = page(client, f"/profiles/{profile.slug}")
    assert status == 200
    assert "<strong>Lead</strong>" in html
    assert "<script>alert(1)" not in html and "tracker.example" not in html


def test_a_featured_profile_is_on_the_gallery_only_while_it_is_shown(
    client, technician, make_exhibition
):
    person, photo, curator, token = technician
    profile = write_profile(person, [photo], curator)
    exhibition = make_exhibition([])
    feature_profiles(exhibition, [profile.id], by=curator)
    card = f'href="/profiles/{profile.slug}"'
    assert card not in page(client, f"/exhibitions/{exhibition.slug}")[1]
    answer_link(client, token, ["profile", "web"])
    assert card in page(client, f"/exhibitions/{exhibition.slug}")[1]
    assert client.post(f"/my-consent/{token}/withdraw").status_code == 200
    assert card not in page(client, f"/exhibitions/{exhibition.slug}")[1]
