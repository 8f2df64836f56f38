"""Exhibitions: publishing checks, galleries by visibility, order, consent, IIIF manifest."""

import re
from datetime import date

import pytest

from archive.consent.intake import withdraw_consent
from archive.core.audit import AuditEvent
from archive.downloads.models import DownloadEvent
from archive.exhibitions.models import Exhibition, ExhibitionStatus, ExhibitionUse, Visibility
from archive.extensions import db
from archive.photos.models import DerivativeKind
from tests.fixtures.photos import fetch_image


def page(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_publishing_is_refused_until_alt_text_and_consent_are_there(
    client, login_as, exhibit_photos, make_photo, make_person
):
    login_as("curator")
    client.post("/curate/", data={"title": "Behind the research", "visibility": "public"})
    exhibition = Exhibition.query.one()
    no_alt = make_photo(title="Untitled", alt_text="", status="approved")
    unconsented = make_photo(title="Ben", status="approved", people=[make_person("Ben Carter")])
    ids = [exhibit_photos[0].id, no_alt.id, unconsented.id]
    client.post(f"/curate/{exhibition.id}/add", data={"photo": [str(i) for i in ids]})
    response = client.post(f"/curate/{exhibition.id}/publish")
    assert response.status_code == 303
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Item 2 (“Untitled”) has no alt text." in notice
    assert "Item 3 (“Ben”) cannot be shown: Ben Carter has no consent covering public web" in notice
    assert db.session.get(Exhibition, exhibition.id).status == ExhibitionStatus.DRAFT

    items = {item.photo_id: item for item in exhibition.items}
    client.post(
        f"/curate/{exhibition.id}/items/{items[no_alt.id].id}",
        data={f"item{items[no_alt.id].id}-alt_text": "A bench at dusk"},
    )
    client.post(
        f"/curate/{exhibition.id}/items/{items[unconsented.id].id}/remove", data={"confirm": "yes"}
    )
    response = client.post(f"/curate/{exhibition.id}/publish")
    assert response.headers["Location"] == f"/exhibitions/{exhibition.slug}"
    assert db.session.get(Exhibition, exhibition.id).status == ExhibitionStatus.PUBLISHED


def test_visitors_see_items_in_order_with_their_alt_text(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    status, html = page(client, f"/exhibitions/{exhibition.slug}")
    assert status == 200
    order = [html.index(photo.alt_text) for photo in exhibit_photos]
    assert order == sorted(order)
    assert '<meta property="og:title" content="Behind the bench">' in html
    assert "<em>Introduction</em>" in html
    # Move the last item up twice: it comes first.
    login_as("curator")
    last = exhibition.items[-1]
    for _ in range(2):
        client.post(f"/curate/{exhibition.id}/items/{last.id}/move", data={"direction": "up"})
    _, html = page(client, f"/exhibitions/{exhibition.slug}")
    assert html.index(exhibit_photos[2].alt_text) < html.index(exhibit_photos[0].alt_text)


def test_the_introduction_is_sanitised(client, exhibit_photos, make_exhibition):
    exhibition = make_exhibition(exhibit_photos)
    exhibition.body = (
        "<script>alert(1)</script>\n\n[site](https://example.org) <img src=x onerror=alert(1)>"
    )
    db.session.commit()
    _, html = page(client, f"/exhibitions/{exhibition.slug}")
    assert "<script>alert(1)" not in html and "onerror" not in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_unlisted_needs_its_link_internal_needs_a_login_drafts_stay_hidden(
    client, login_as, exhibit_photos, make_exhibition
):
    unlisted = make_exhibition(exhibit_photos, title="Unlisted", visibility=Visibility.UNLISTED)
    internal = make_exhibition(exhibit_photos, title="Internal", visibility=Visibility.INTERNAL)
    draft = make_exhibition(exhibit_photos, title="Draft", published=False)
    assert page(client, f"/exhibitions/{unlisted.slug}")[0] == 404
    assert page(client, f"/exhibitions/{unlisted.slug}?key=wrong")[0] == 404
    status, html = page(client, f"/exhibitions/{unlisted.slug}?key={unlisted.secret}")
    assert status == 200 and f"key={unlisted.secret}" in html  # its images carry the key too
    assert page(client, f"/exhibitions/{internal.slug}")[0] == 302
    assert page(client, f"/exhibitions/{draft.slug}")[0] == 404
    index = page(client, "/exhibitions/")[1]
    assert "Unlisted" not in index and "Internal" not in index and "Draft" not in index
    login_as("contributor")
    assert page(client, f"/exhibitions/{internal.slug}")[0] == 200
    assert page(client, f"/exhibitions/{draft.slug}")[0] == 404
    login_as("curator")
    assert page(client, f"/exhibitions/{draft.slug}")[0] == 200  # curators preview drafts


def test_a_new_secret_link_ends_the_old_one_at_once(
    client, login_as, exhibit_photos, make_exhibition
):
    unlisted = make_exhibition(exhibit_photos, title="Unlisted", visibility=Visibility.UNLISTED)
    old = f"/exhibitions/{unlisted.slug}?key={unlisted.secret}"
    assert page(client, old)[0] == 200  # now kept for visitors
    login_as("curator")
    assert "New secret link" in page(client, f"/curate/{unlisted.id}")[1]
    response = client.post(f"/curate/{unlisted.id}/rotate-key")
    assert response.status_code == 303
    new_key = db.session.get(Exhibition, unlisted.id).secret
    assert new_key in page(client, f"/curate/{unlisted.id}")[1]
    with client.session_transaction() as session:
        session.clear()  # a visitor again: the old link's page was kept for visitors
    assert page(client, old)[0] == 404
    assert page(client, f"/exhibitions/{unlisted.slug}?key={new_key}")[0] == 200


def test_a_withdrawn_consent_drops_the_item_and_curators_are_told(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    person = exhibit_photos[2].people[0]
    withdraw_consent(person.consent_forms[0], by=None, on=date.today())
    status, html = page(client, f"/exhibitions/{exhibition.slug}")
    assert status == 200 and exhibit_photos[2].alt_text not in html
    large = exhibit_photos[2].derivative(DerivativeKind.LARGE)
    assert page(client, f"/exhibitions/{exhibition.slug}/media/{large.sha256}.jpg")[0] == 404
    login_as("curator")
    html = page(client, f"/exhibitions/{exhibition.slug}")[1]
    assert "1 item no longer shown, for want of consent: Field kit." in html


def test_the_withdrawal_records_which_exhibitions_lost_an_item(exhibit_photos, make_exhibition):
    losing = make_exhibition(exhibit_photos, title="Behind the bench")
    make_exhibition(exhibit_photos[:2], title="Glass and metal")  # shows no photo of theirs
    form = exhibit_photos[2].people[0].consent_forms[0]
    withdraw_consent(form, by=None, on=date.today())
    [event] = AuditEvent.query.filter_by(action="consent.withdrawn").all()
    assert event.target_id == form.id
    assert event.detail == f"Exhibitions that stop showing a photo: #{losing.id}."
    assert "Behind the bench" not in event.detail  # the log outlives erasure: no titles


def test_the_iiif_manifest(client, exhibit_photos, make_exhibition):
    exhibition = make_exhibition(exhibit_photos)
    withdraw_consent(exhibit_photos[2].people[0].consent_forms[0], by=None, on=date.today())
    manifest = client.get(f"/exhibitions/{exhibition.slug}/manifest.json").json
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["type"] == "Manifest"
    assert manifest["id"].endswith(f"/exhibitions/{exhibition.slug}/manifest.json")
    assert manifest["label"] == {"none": ["Behind the bench"]}  # its language is not set
    canvases = manifest["items"]  # none of the withdrawn person
    assert [c["label"]["none"][0] for c in canvases] == ["Glassblowing", "Lathe work"]
    for canvas, photo in zip(canvases, exhibit_photos, strict=False):
        # The gallery's largest size: the large file leaves only through the download step.
        display = photo.derivative(DerivativeKind.DISPLAY)
        body = canvas["items"][0]["items"][0]["body"]
        assert (canvas["width"], canvas["height"]) == (display.width, display.height)
        assert (body["width"], body["height"]) == (display.width, display.height)
        assert body["id"].endswith(f"/media/{display.sha256}.jpg")
        assert canvas["items"][0]["items"][0]["motivation"] == "painting"
        assert canvas["requiredStatement"]["value"]["en"][0].startswith("Photo:")
    image = client.get(canvases[0]["items"][0]["items"][0]["body"]["id"])
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    image.close()


def test_only_curators_build(client, login_as):
    for role in ("contributor", "comms"):
        login_as(role)
        assert client.get("/curate/").status_code == 403


def test_the_cover_leads_the_index_and_the_shared_preview(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    login_as("curator")
    chosen = exhibition.items[1]
    client.post(f"/curate/{exhibition.id}/items/{chosen.id}/cover")
    with client.session_transaction() as session:
        session.clear()
    display = exhibit_photos[1].derivative("display").sha256
    _, html = page(client, f"/exhibitions/{exhibition.slug}")
    assert (
        f'<meta property="og:image" content="http://127.0.0.1:5000/exhibitions/{exhibition.slug}/media/{display}.jpg">'
        in html
    )
    _, index = page(client, "/exhibitions/")
    assert exhibit_photos[1].derivative("thumb").sha256 in index


def gallery_image_urls(html: str) -> set[str]:
    return set(re.findall(r"/exhibitions/[\w-]+/media/[0-9a-f]{64}\.jpg", html))


def test_comms_cannot_fetch_large_file_through_internal_gallery(
    client, login_as, make_user, make_person, make_photo, make_exhibition
):
    make_user("curator")
    internal_only = make_person("Ben Carter", scopes=["internal"])
    photo = make_photo(people=[internal_only], status="approved", size=(3000, 2000))
    exhibition = make_exhibition(
        [photo], title="Our workshops", visibility=Visibility.INTERNAL, use=ExhibitionUse.INTERNAL
    )
    media = f"/exhibitions/{exhibition.slug}/media"
    login_as("comms")
    status, html = page(client, f"/exhibitions/{exhibition.slug}")
    assert status == 200 and photo.alt_text in html  # an internal gallery is for all staff
    assert fetch_image(client, f"{media}/{photo.derivative(DerivativeKind.LARGE).sha256}.jpg") == (
        404,
        None,
    )
    assert fetch_image(
        client, f"{media}/{photo.derivative(DerivativeKind.DISPLAY).sha256}.jpg"
    ) == (
        200,
        1600,
    )
    # Every image the page links (the zoom included) is one the gallery sends.
    assert all(fetch_image(client, url)[0] == 200 for url in gallery_image_urls(html))
    # Not cleared for press: nothing of it on comms' own pages, and nothing was downloaded.
    assert (
        fetch_image(client, f"/media/{photo.derivative(DerivativeKind.THUMB).sha256}.jpg")[0] == 404
    )
    assert DownloadEvent.query.count() == 0


@pytest.mark.parametrize("role", [None, "contributor", "curator"])
def test_a_public_gallery_sends_page_sizes_to_everyone(
    client, login_as, make_user, make_photo, make_exhibition, role
):
    make_user("curator")
    photo = make_photo(status="approved", size=(3000, 2000))
    exhibition = make_exhibition([photo])
    if role:
        login_as(role)
    html = page(client, f"/exhibitions/{exhibition.slug}")[1]
    media = f"/exhibitions/{exhibition.slug}/media"
    large = f"{media}/{photo.derivative(DerivativeKind.LARGE).sha256}.jpg"
    assert large not in gallery_image_urls(html)
    assert fetch_image(client, large) == (404, None)
    assert sorted(fetch_image(client, url)[1] for url in gallery_image_urls(html)) == [400, 1600]
