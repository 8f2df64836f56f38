"""An introduction is formatted once, when it is saved: never on a request, never for long."""

import io
import time
import zipfile

import nh3
import pytest

from archive.exhibitions.models import Exhibition
from archive.extensions import db


def save_introduction(client, exhibition: Exhibition, body: str):
    """Post the builder's form with a new introduction; return the response."""
    form = {
        "title": exhibition.title,
        "summary": exhibition.summary,
        "body": body,
        "visibility": exhibition.visibility.value,
        "smart_rule": exhibition.smart_rule,
    }
    return client.post(f"/curate/{exhibition.id}", data=form)


def kiosk_page(client, exhibition: Exhibition) -> str:
    """Return the index.html of the exhibition's kiosk export."""
    zipped = client.get(f"/curate/{exhibition.id}/export.zip").get_data()
    with zipfile.ZipFile(io.BytesIO(zipped)) as site:
        return site.read("index.html").decode()


def test_introduction_is_rendered_when_saved_not_on_each_request(
    client, login_as, exhibit_photos, make_exhibition, monkeypatch
):
    exhibition = make_exhibition(exhibit_photos)
    login_as("curator")
    assert save_introduction(client, exhibition, "Meet our *glassblowers*.").status_code == 302

    # Formatting, before this change and after, always ends in the sanitiser.
    def formatting(*args, **kwargs):
        raise AssertionError("an introduction was formatted during a request")

    monkeypatch.setattr(nh3, "clean", formatting)
    shown = "<p>Meet our <em>glassblowers</em>.</p>"
    for url in (f"/exhibitions/{exhibition.slug}", f"/curate/{exhibition.id}"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert shown in client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert shown in kiosk_page(client, exhibition)
    client.post("/logout")
    assert shown in client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)


def test_what_pages_show_follows_every_change_to_the_introduction(
    client, exhibit_photos, make_exhibition
):
    # Erasure redacts a name by assigning the body, as a script may: no form, no service.
    exhibition = make_exhibition(exhibit_photos)
    exhibition.body = "Rhys Morgan runs the *workshop*."
    db.session.commit()
    exhibition.body = "[name removed] runs the *workshop*."
    db.session.commit()
    page = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "[name removed] runs the <em>workshop</em>." in page and "Rhys" not in page


# Each of these took Python-Markdown seconds to minutes (or raised RecursionError) on every
# page view; each is within the length limit. "refused" ones nest too deep to keep.
PATHOLOGICAL = [
    ("[" * 8000, "saved"),
    ("[" * 20000, "saved"),
    ("![" * 10000, "saved"),
    ("[](" * 6600, "saved"),
    ("[^" * 10000, "saved"),
    ("*[" * 10000, "saved"),
    ("*" * 20000, "saved"),
    ("<a " * 6600, "saved"),
    ("-\n" * 10000, "saved"),
    ("\n=" * 10000, "saved"),
    ("#\n" * 10000, "saved"),
    ("-\t" * 10000, "saved"),
    ("+ " * 10000, "saved"),
    ("\n".join("    " * depth + "- item" for depth in range(90)), "saved"),
    (">" * 20000, "refused"),
    ("\n".join(">" * depth + " quoted" for depth in range(1, 190)), "refused"),
]
# Far above what these take now (milliseconds each), far below what the first took before.
SECONDS_OF_CPU = 5


def test_pathological_introduction_saves_quickly_or_is_refused(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    login_as("curator")
    for body, outcome in PATHOLOGICAL:
        started = time.process_time()
        saved = save_introduction(client, exhibition, body)
        shown = client.get(f"/exhibitions/{exhibition.slug}")
        used = time.process_time() - started
        case = f"{body[:12]!r}… ({len(body)} characters)"
        assert shown.status_code == 200, case
        assert used < SECONDS_OF_CPU, f"{case} took {used:.1f} s of CPU"
        if outcome == "saved":
            assert saved.status_code == 302, case
            db.session.refresh(exhibition)
            assert exhibition.body == body, case
        else:
            assert saved.status_code == 422, case
            assert "levels deep" in saved.get_data(as_text=True), case


@pytest.mark.parametrize("setting", [None, 50])
def test_too_long_introduction_gets_a_clear_error(
    app, client, login_as, exhibit_photos, make_exhibition, setting
):
    if setting:
        app.config["INTRODUCTION_MAX_CHARS"] = setting
    allowed = setting or 20_000
    exhibition = make_exhibition(exhibit_photos)
    login_as("curator")
    too_long = "a" * (allowed + 1)
    message = f"The introduction is {allowed + 1:,} characters long; it can be at most {allowed:,}."

    refused = save_introduction(client, exhibition, too_long)
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    db.session.refresh(exhibition)
    assert exhibition.body == "*Introduction*"

    new = {"title": "Another", "visibility": "public", "body": too_long}
    refused = client.post("/curate/", data=new)
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert Exhibition.query.count() == 1

    assert save_introduction(client, exhibition, "a" * allowed).status_code == 302
