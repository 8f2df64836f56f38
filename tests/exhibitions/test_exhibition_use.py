"""Where an exhibition is shown decides the consent its items need, online and in a kiosk."""

import io
import zipfile

import pytest

from archive.exhibitions.models import Exhibition, ExhibitionStatus, ExhibitionUse, Visibility
from archive.extensions import db


@pytest.fixture
def two_kinds(make_user, make_person, make_photo):
    """A photo of someone who agreed to the web only, and one of someone who agreed to rooms."""
    make_user("curator")
    return [
        make_photo(
            title="Bench work",
            caption="Soldering a sensor board.",
            status="approved",
            people=[make_person("Wen Online", scopes=["web", "internal"])],
        ),
        make_photo(
            title="Kiln room",
            caption="Firing porcelain insulators.",
            status="approved",
            people=[make_person("Rosa Rooms", scopes=["exhibition"])],
        ),
    ]


def test_a_physical_exhibition_published_online_needs_both_consents(
    client, login_as, two_kinds, make_exhibition
):
    exhibition = make_exhibition(two_kinds, use=ExhibitionUse.PHYSICAL, published=False)
    login_as("curator")
    response = client.post(f"/curate/{exhibition.id}/publish")
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Item 1 (“Bench work”) cannot be shown: Wen Online has no consent covering "
        "physical exhibitions." in notice
    )
    assert (
        "Item 2 (“Kiln room”) cannot be shown: Rosa Rooms has no consent covering "
        "public web galleries." in notice
    )
    assert db.session.get(Exhibition, exhibition.id).status == ExhibitionStatus.DRAFT
    # Not published online, it is still shown in a room: the kiosk has who agreed to that.
    with zipfile.ZipFile(
        io.BytesIO(client.get(f"/curate/{exhibition.id}/export.zip").data)
    ) as site:
        html = site.read("index.html").decode()
    assert "Firing porcelain" in html and "Soldering" not in html


def test_the_builder_says_who_each_showing_leaves_out_and_why(
    client, login_as, two_kinds, make_exhibition
):
    exhibition = make_exhibition(two_kinds[:1], smart_rule="kiln")
    login_as("curator")
    page = client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    assert "Online, each person shown needs consent to: Public web galleries." in page
    assert "The kiosk export leaves out 1 item" in page
    assert "Wen Online has no consent covering physical exhibitions" in page
    # The smart rule proposes Kiln room, and says it would not be shown on the web.
    assert "Would not be shown: Rosa Rooms has no consent covering public web galleries." in page


def test_an_internal_exhibition_needs_internal_consent_only(
    client, login_as, two_kinds, make_exhibition
):
    exhibition = make_exhibition(
        two_kinds, visibility=Visibility.INTERNAL, use=ExhibitionUse.INTERNAL
    )
    login_as("contributor")
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "Soldering" in gallery and "Firing porcelain" not in gallery


def test_a_curator_chooses_where_an_exhibition_is_shown(client, login_as):
    login_as("curator")
    client.post(
        "/curate/",
        data={"title": "Open day", "visibility": "public", "use": "physical", "smart_rule": ""},
    )
    exhibition = Exhibition.query.one()
    assert exhibition.use is ExhibitionUse.PHYSICAL
    client.post(
        f"/curate/{exhibition.id}",
        data={"title": "Open day", "visibility": "internal", "use": "internal"},
    )
    db.session.refresh(exhibition)
    assert (exhibition.use, exhibition.visibility) == (ExhibitionUse.INTERNAL, Visibility.INTERNAL)


def test_a_too_broad_smart_rule_is_explained_on_the_builder_page(client, login_as, make_exhibition):
    exhibition = make_exhibition([], smart_rule="*a*", published=False)
    login_as("curator")
    response = client.get(f"/curate/{exhibition.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The smart rule was not run. This search is too broad" in html
