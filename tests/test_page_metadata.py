"""What link previews and search engines read of a page, and how tick-box groups are named."""

import io
from html.parser import HTMLParser

import pytest
from PIL import Image

from archive.consent.link import issue_link
from archive.exhibitions.models import Visibility
from archive.extensions import db
from tests.fixtures.people import grant_consent

PUBLIC = "https://archive.example.org"
FORGED_HOST = "http://attacker.example"  # a visitor's Host header, which no link may follow


class PageHead(HTMLParser):
    """Collect a page's meta tags and canonical link, and how each checkbox is named."""

    VOID = frozenset({"meta", "link", "input", "img", "br", "hr", "source"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.label_targets: set[str] = set()
        self.list_ids: set[str] = set()
        self.checkboxes_in_lists = 0
        self.checkboxes_in_named_fieldsets = 0
        self._open: list[list] = []  # [tag, has legend] of each open element
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note meta tags, canonical links, labels, lists and where each checkbox sits."""
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("content") is not None:
            key = attributes.get("property") or attributes.get("name")
            self.meta[key] = attributes["content"]
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical.append(attributes["href"])
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag == "ul" and attributes.get("id"):
            self.list_ids.add(attributes["id"])
        if tag == "legend" and self._open and self._open[-1][0] == "fieldset":
            self._open[-1][1] = True
        in_list = any(t == "ul" for t, _ in self._open)
        if tag == "input" and attributes.get("type") == "checkbox" and in_list:
            self.checkboxes_in_lists += 1
            self.checkboxes_in_named_fieldsets += any(
                t == "fieldset" and named for t, named in self._open
            )
        if tag not in self.VOID:
            self._open.append([tag, False])

    def handle_endtag(self, tag: str) -> None:
        """Close the element (and any left open inside it)."""
        while self._open:
            if self._open.pop()[0] == tag:
                break


@pytest.fixture
def public_world(app, make_user, make_person, make_photo, make_exhibition):
    """A photo cleared for the web, in a public and an unlisted exhibition."""
    app.config["PUBLIC_URL"] = PUBLIC
    make_user("curator")
    person = make_person("Zoë Łukasik", scopes=["web", "internal"])
    photo = make_photo(
        people=[person], status="approved", title="Réparation du spectromètre", size=(3000, 2000)
    )
    public = make_exhibition([photo], summary="Glass, brass and patience.")
    unlisted = make_exhibition([photo], title="Quiet work", visibility=Visibility.UNLISTED)
    return photo, public, unlisted


def visit(client, url: str) -> PageHead:
    response = client.get(url, base_url=FORGED_HOST)
    assert response.status_code == 200, url
    return PageHead(response.get_data(as_text=True))


PAGES_WITH_IMAGES = {
    "gallery": lambda photo, public: f"/exhibitions/{public.slug}",
    "exhibitions index": lambda photo, public: "/exhibitions/",
    "photo page": lambda photo, public: f"/photos/{photo.id}",
}
PAGES_WITHOUT = {"home": "/", "search": "/search"}


@pytest.mark.parametrize("page", PAGES_WITH_IMAGES)
def test_public_pages_carry_a_large_card_of_an_image_as_big_as_it_says(client, public_world, page):
    photo, public, _ = public_world
    url = PAGES_WITH_IMAGES[page](photo, public)
    head = visit(client, url)
    meta = head.meta
    assert head.canonical == [PUBLIC + url]
    assert meta["og:url"] == PUBLIC + url
    assert meta["og:site_name"] == "Technicians' Archive"
    assert meta["og:type"] == "website"
    assert meta["og:title"] and meta["og:description"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"].startswith(PUBLIC + "/")
    assert meta["og:image:alt"]
    display = photo.derivative("display")
    assert display.sha256 in meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == (
        str(display.width),
        str(display.height),
    )
    with client.get(meta["og:image"].removeprefix(PUBLIC)) as image:  # what a preview fetches
        assert image.status_code == 200
        assert Image.open(io.BytesIO(image.get_data())).size == (display.width, display.height)
    assert "robots" not in meta


@pytest.mark.parametrize("page", PAGES_WITHOUT)
def test_public_pages_without_a_picture_carry_a_small_card(client, public_world, page):
    head = visit(client, PAGES_WITHOUT[page])
    assert head.canonical == [PUBLIC + PAGES_WITHOUT[page]]
    assert head.meta["og:url"] == PUBLIC + PAGES_WITHOUT[page]
    assert head.meta["og:title"] and head.meta["og:description"]
    assert head.meta["twitter:card"] == "summary"
    assert "og:image" not in head.meta and "robots" not in head.meta


def test_a_gallery_card_names_its_summary(client, public_world):
    _, public, _ = public_world
    meta = visit(client, f"/exhibitions/{public.slug}").meta
    assert (meta["og:title"], meta["og:description"]) == (public.title, public.summary)


def test_an_unlisted_gallery_is_kept_out_of_search_engines(client, public_world):
    _, _, unlisted = public_world
    url = f"/exhibitions/{unlisted.slug}?key={unlisted.secret}"
    head = visit(client, url)
    assert head.meta["robots"] == "noindex"
    # Its one address is the keyed one: a preview of a shared link shows, an index does not.
    assert head.canonical == [PUBLIC + url] == [head.meta["og:url"]]
    assert f"key={unlisted.secret}" in head.meta["og:image"]


def test_search_results_are_kept_out_of_search_engines(client, public_world):
    head = visit(client, "/search?q=spectrometre")
    assert head.meta["robots"] == "noindex"
    assert head.canonical == [PUBLIC + "/search?q=spectrometre"]


def test_the_personal_consent_link_is_kept_out_of_search_engines(client, make_user, public_world):
    photo, _, _ = public_world
    token = issue_link(photo.people[0], make_user("curator"))
    response = client.get(f"/my-consent/{token}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_signed_in_pages_carry_no_card(client, login_as, public_world):
    _, public, _ = public_world
    login_as("curator")
    response = client.get(f"/exhibitions/{public.slug}")
    assert response.status_code == 200
    head = PageHead(response.get_data(as_text=True))
    assert head.canonical == [] and not any(key.startswith("og:") for key in head.meta)


@pytest.fixture
def checkbox_pages(client, login_as, make_person, make_photo):
    """The pages with groups of tick boxes: the consent link, the person and review pages."""
    admin = login_as("admin")
    person = make_person("Zoë Łukasik", scopes=["web"])
    pending = make_photo(people=[person], batch_id="c" * 32)
    grant_consent(person, ["web"]).batch_id = pending.batch_id
    db.session.commit()
    return {
        "consent link": f"/my-consent/{issue_link(person, admin)}",
        "person page": f"/people/{person.id}",
        "review page": f"/review/{pending.id}",
    }


@pytest.mark.parametrize("page", ["consent link", "person page", "review page"])
def test_each_group_of_tick_boxes_is_a_fieldset_named_by_its_legend(client, checkbox_pages, page):
    html = client.get(checkbox_pages[page]).get_data(as_text=True)
    head = PageHead(html)
    assert head.checkboxes_in_lists >= 5
    assert head.checkboxes_in_named_fieldsets == head.checkboxes_in_lists
    assert head.label_targets & head.list_ids == set()  # no label names a list
    assert "<legend>Uses agreed to</legend>" in html or "<legend>I agree" in html
