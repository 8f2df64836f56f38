"""Each role's home page shows what that role does next, and no photo it may not see."""

from datetime import date, timedelta

import pytest

from archive.consent.intake import withdraw_consent
from archive.exhibitions.models import Visibility


@pytest.fixture
def page(client):
    """Return the home page's text, checking it opened."""

    def get() -> str:
        response = client.get("/")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def test_visitors_see_published_public_exhibitions_with_covers_and_a_search_box(
    page, make_exhibition, exhibit_photos
):
    shown = make_exhibition(exhibit_photos[:2], title="Glass and brass", summary="Made by hand.")
    make_exhibition(exhibit_photos[:1], title="Still a draft", published=False)
    make_exhibition(exhibit_photos[:1], title="Staff only", visibility=Visibility.INTERNAL)
    html = page()
    assert "Glass and brass" in html and "Made by hand." in html
    assert f'href="/exhibitions/{shown.slug}"' in html
    assert f"/exhibitions/{shown.slug}/media/" in html  # the cover, through the gallery's gate
    assert 'alt="Hands shape glowing glass"' in html
    assert "Still a draft" not in html and "Staff only" not in html
    assert 'action="/search"' in html and 'type="search"' in html


def test_a_visitor_never_sees_a_cover_whose_consent_was_withdrawn(
    page, make_exhibition, make_person, make_photo
):
    person = make_person("Grace Adeyemi", scopes=["web", "internal"])
    photo = make_photo(
        title="Field kit", alt_text="Kit on a floor", status="approved", people=[person]
    )
    make_exhibition([photo], title="Out in the field")
    assert 'alt="Kit on a floor"' in page()
    withdraw_consent(person.consent_forms[0], by=None, on=date.today())
    html = page()
    assert "Out in the field" in html
    assert 'alt="Kit on a floor"' not in html and "/media/" not in html


def test_contributors_see_their_recent_uploads_with_status_and_the_upload_button(
    page, login_as, make_photo
):
    me = login_as("contributor")
    make_photo(uploaded_by=me, title="Soldering a board")
    make_photo(uploaded_by=me, title="Cleanroom gowning", status="approved")
    html = page()
    assert 'class="button" href="/upload"' in html
    assert "Soldering a board" in html and "Cleanroom gowning" in html
    assert "status-pending" in html and "status-approved" in html
    assert "Review queue" not in html and 'type="search"' not in html


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_curators_and_admins_see_the_queue_expiring_consents_and_drafts(
    page, login_as, make_photo, make_person, make_exhibition, exhibit_photos, role
):
    login_as(role)
    make_photo(title="Awaiting a look")
    make_person("Tomas Varga", scopes=["web"], expires_on=date.today() + timedelta(days=10))
    make_person("Ana Lopes", scopes=["web"], expires_on=date.today() + timedelta(days=90))
    make_exhibition(exhibit_photos[:1], title="Half built", published=False)
    make_exhibition(exhibit_photos[:1], title="Already open")
    html = page()
    assert "1 photo awaiting review" in html
    assert "1 in the next 30 days" in html and "Tomas Varga" in html
    assert "Ana Lopes" not in html
    assert "Half built" in html and "1 draft" in html and "Already open" not in html


def test_comms_see_a_search_box_and_their_recent_downloads_still_in_use(
    client, page, login_as, consented_photo, make_photo
):
    login_as("comms")
    answer = {"size": "display", "purpose": "Newsletter", "accept": "y"}
    assert client.post(f"/photos/{consented_photo.id}/download", data=answer).status_code == 200
    html = page()
    assert 'type="search"' in html
    assert "Inside the cleanroom" in html and "Your recent downloads" in html
    assert "Upload photos" not in html and "Review queue" not in html
    withdraw_consent(consented_photo.people[0].consent_forms[0], by=None, on=date.today())
    assert "Inside the cleanroom" not in page()
