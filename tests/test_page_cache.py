"""Visitors share kept gallery pages, images and searches until anything in the archive changes."""

import re
from pathlib import Path

import pytest
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from archive import create_app
from archive.exhibitions.models import ExhibitionStatus, Visibility
from archive.extensions import db
from tests.fixtures.app import app_config


def counted_get(client, url):
    """Return the response to url, and how many SQL statements went through SQLAlchemy."""
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        with client.get(url) as response:
            response.get_data()
            return response, count
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)


def statements_for(client, url) -> tuple[int, str]:
    """Return how many SQL statements answering url took, and the page."""
    response, count = counted_get(client, url)
    assert response.status_code == 200
    return count, response.get_data(as_text=True)


def test_a_kept_gallery_changes_with_the_next_edit(client, exhibit_photos, make_exhibition):
    exhibition = make_exhibition(exhibit_photos)
    url = f"/exhibitions/{exhibition.slug}"
    first, page = statements_for(client, url)
    kept, same = statements_for(client, url)
    # Kept: no query through SQLAlchemy (the content version is read on a bare connection).
    assert kept == 0 < first and same == page

    exhibition.items[0].caption = "Annealing the bowl"
    db.session.commit()
    _, edited = statements_for(client, url)
    assert "Annealing the bowl" in edited


def test_an_image_leaves_a_kept_gallery_the_moment_its_item_goes(
    client, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    thumb = exhibit_photos[0].derivative("thumb").sha256
    image = f"/exhibitions/{exhibition.slug}/media/{thumb}.jpg"
    for _ in range(2):
        with client.get(image) as response:
            assert response.status_code == 200

    with client.get(image, headers={"If-None-Match": f'"{thumb}"'}) as response:
        assert response.status_code == 304  # the browser's copy is current
    with client.get(image, headers={"Range": "bytes=0-99"}) as response:
        assert response.status_code == 206 and len(response.data) == 100

    db.session.delete(exhibition.items[0])
    db.session.commit()
    with client.get(image) as response:
        assert response.status_code == 404
    assert thumb not in client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)


def test_signed_in_people_never_get_a_visitors_page(
    client, login_as, exhibit_photos, make_exhibition
):
    published = make_exhibition(exhibit_photos)
    draft = make_exhibition(exhibit_photos, title="Draft show", published=False)
    assert draft.status == ExhibitionStatus.DRAFT
    visitors_page = client.get(f"/exhibitions/{published.slug}").get_data(as_text=True)
    assert "Log in" in visitors_page

    login_as("curator")
    assert "Log out" in client.get(f"/exhibitions/{published.slug}").get_data(as_text=True)
    assert client.get(f"/exhibitions/{draft.slug}").status_code == 200  # a curator's preview

    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/exhibitions/{draft.slug}").status_code == 404


@pytest.mark.parametrize("storage_setting", ["s3"], indirect=True)
def test_on_s3_a_visitor_gets_a_fresh_signed_link_without_the_gallery_worked_out_again(
    client, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    thumb = exhibit_photos[0].derivative("thumb").sha256
    image = f"/exhibitions/{exhibition.slug}/media/{thumb}.jpg"
    first, worked_out = counted_get(client, image)
    again, kept = counted_get(client, image)
    assert first.status_code == again.status_code == 302
    assert "Signature=" in again.headers["Location"]
    assert kept == 0 < worked_out  # which file it is was remembered; the link is signed anew

    db.session.delete(exhibition.items[0])
    db.session.commit()
    gone, _ = counted_get(client, image)
    assert gone.status_code == 404


PUBLIC = "https://archive.example.ac.uk/photos"


@pytest.mark.parametrize(
    "forged", [{"headers": {"Host": "attacker.example"}}, {"base_url": "http://attacker.example"}]
)
def test_a_forged_host_never_reaches_a_kept_page(
    app, client, exhibit_photos, make_exhibition, forged
):
    app.config["PUBLIC_URL"] = PUBLIC
    exhibition = make_exhibition(exhibit_photos, visibility=Visibility.UNLISTED)
    query = f"?key={exhibition.secret}"
    gallery = f"/exhibitions/{exhibition.slug}{query}"
    manifest = f"/exhibitions/{exhibition.slug}/manifest.json{query}"
    for url in (gallery, manifest):
        first = client.get(url, **forged)
        kept = client.get(url)  # the next visitor: the gallery comes from the page cache
        for response in (first, kept):
            assert response.status_code == 200 and b"attacker.example" not in response.data
    page = client.get(gallery).get_data(as_text=True)
    og_image = re.search(r'property="og:image" content="([^"]+)"', page).group(1)
    assert og_image.startswith(f"{PUBLIC}/exhibitions/{exhibition.slug}/media/")
    document = client.get(manifest).json
    assert document["id"] == f"{PUBLIC}/exhibitions/{exhibition.slug}/manifest.json{query}"
    bodies = [canvas["items"][0]["items"][0]["body"]["id"] for canvas in document["items"]]
    assert bodies and all(body.startswith(f"{PUBLIC}/exhibitions/") for body in bodies)


def test_proxy_fix_is_a_setting_off_by_default(app, client):
    assert not isinstance(app.wsgi_app, ProxyFix)
    behind = create_app(
        {
            **app_config(Path(app.instance_path)),
            "DATABASE_URL": app.config["DATABASE_URL"],
            "PROXY_FIX": {"x_for": 1, "x_proto": 1},
        }
    )
    assert isinstance(behind.wsgi_app, ProxyFix)
    assert (behind.wsgi_app.x_for, behind.wsgi_app.x_proto, behind.wsgi_app.x_host) == (1, 1, 0)
