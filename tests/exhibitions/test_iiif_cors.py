"""Which manifests and images other sites' viewers may read (Access-Control-Allow-Origin)."""

import json

import pytest

from archive.exhibitions.models import Visibility

ORIGIN = {"Origin": "http://partner.example"}


def manifest_and_images(client, exhibition, key=None, login=None):
    """Return the manifest's response and, if it opened, every image response it names."""
    query = {"key": key} if key else {}
    manifest = client.get(
        f"/exhibitions/{exhibition.slug}/manifest.json", query_string=query, headers=ORIGIN
    )
    if manifest.status_code != 200:
        return manifest, []
    document = json.loads(manifest.get_data())
    urls = {
        image["id"]
        for canvas in document["items"]
        for image in (canvas["items"][0]["items"][0]["body"], *canvas["thumbnail"])
    }
    images = []
    for url in sorted(urls):
        image = client.get(url, headers=ORIGIN)
        image.close()
        images.append(image)
    return manifest, images


def readable(response) -> bool:
    return response.headers.get("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize("times", [1, 2])  # the second from what the page cache kept
def test_a_public_exhibition_and_its_images_are_open_to_every_site(
    client, exhibit_photos, make_exhibition, times
):
    exhibition = make_exhibition(exhibit_photos)
    for _ in range(times):
        manifest, images = manifest_and_images(client, exhibition)
    assert manifest.status_code == 200 and readable(manifest)
    assert len(images) == 2 * 3 and all(
        image.status_code == 200 and readable(image) for image in images
    )


def test_an_unlisted_exhibition_is_open_to_other_sites_only_with_its_key(
    client, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos, visibility=Visibility.UNLISTED)
    manifest, images = manifest_and_images(client, exhibition, key=exhibition.secret)
    assert readable(manifest) and images and all(readable(image) for image in images)
    assert all("?key=" in image.request.url for image in images)
    image_path = images[0].request.path
    for key in (None, "wrong-key"):
        manifest, _ = manifest_and_images(client, exhibition, key=key)
        assert manifest.status_code == 404 and not readable(manifest)
        image = client.get(image_path, query_string={"key": key} if key else {}, headers=ORIGIN)
        assert image.status_code == 404 and not readable(image)


def test_internal_exhibitions_and_curators_previews_are_never_open_to_other_sites(
    client, login_as, exhibit_photos, make_exhibition
):
    internal = make_exhibition(exhibit_photos, title="Staff only", visibility=Visibility.INTERNAL)
    draft = make_exhibition(exhibit_photos, title="Not yet", published=False)
    unlisted = make_exhibition(exhibit_photos, title="Hidden", visibility=Visibility.UNLISTED)
    manifest, _ = manifest_and_images(client, internal)
    assert manifest.status_code == 302 and not readable(manifest)  # to the login page
    login_as("comms")
    manifest, images = manifest_and_images(client, internal)
    assert manifest.status_code == 200 and not readable(manifest)
    assert images and not any(readable(image) for image in images)
    login_as("curator")
    manifest, images = manifest_and_images(client, draft)
    assert manifest.status_code == 200 and not readable(manifest)
    assert images and not any(readable(image) for image in images)
    # A curator opens an unlisted one without its key; its image links carry the key.
    manifest, _ = manifest_and_images(client, unlisted)
    assert manifest.status_code == 200 and not readable(manifest)
