"""Exports: the CSV, the IIIF manifest from the command line, and a static site for kiosks."""

import codecs
import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from archive.csv_export import guarded
from archive.exhibitions.introduction import render_introduction
from archive.exhibitions.models import Exhibition
from archive.extensions import db


def test_export_command_writes_csv_iiif_and_a_static_site(
    runner, tmp_path, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    csv_path, iiif_path, zip_path = tmp_path / "items.csv", tmp_path / "m.json", tmp_path / "s.zip"
    for kind, path in (("csv", csv_path), ("iiif", iiif_path), ("static", zip_path)):
        result = runner.invoke(
            args=["export-exhibition", exhibition.slug, "--format", kind, "-o", str(path)]
        )
        assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert [row["title"] for row in rows] == ["Glassblowing", "Lathe work", "Field kit"]
    assert rows[0]["alt_text"] == "Hands shape glowing glass"
    assert rows[0]["credit"].startswith("Photo:")
    manifest = json.loads(iiif_path.read_text())
    assert manifest["id"] == f"http://127.0.0.1:5000/exhibitions/{exhibition.slug}/manifest.json"
    assert len(manifest["items"]) == 3
    with zipfile.ZipFile(zip_path) as site:
        names = set(site.namelist())
        assert {"index.html", "style.css"} <= names
        # Two items of two sizes: Field kit's technician did not agree to physical exhibitions.
        assert len([n for n in names if n.startswith("images/")]) == 4
        html = site.read("index.html").decode()
        assert "http" not in html.split("<main>")[0]  # nothing fetched from the network
        assert 'src="images/001-display.jpg"' in html


def test_unknown_exhibition_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(
        args=["export-exhibition", "nope", "--format", "csv", "-o", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 1 and "no exhibition has the address 'nope'" in result.output


def test_the_buttons_download_the_same_exports(client, login_as, exhibit_photos, make_exhibition):
    exhibition = make_exhibition(exhibit_photos)
    login_as("curator")
    response = client.get(f"/curate/{exhibition.id}/export.zip")
    assert response.mimetype == "application/zip"
    assert f'filename="{exhibition.slug}.zip"' in response.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(response.get_data())).testzip() is None
    assert client.get(f"/curate/{exhibition.id}/export.csv").mimetype == "text/csv"
    assert Exhibition.query.count() == 1


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Glass = art", "Glass = art"),
        ("Émilie", "Émilie"),
        ("", ""),
        (-2, -2),  # a number the archive counted is not text anyone typed
    ],
)
def test_text_that_would_start_a_formula_is_quoted(cell, written):
    assert guarded(cell) == written


@pytest.fixture
def hostile_exhibition(make_photo, make_exhibition):
    """An exhibition whose captions and titles a spreadsheet would run as formulas."""
    photos = [
        make_photo(title="+1", caption='=HYPERLINK("http://x","click")', status="approved"),
        make_photo(title="@SUM(A1)", photographer="Łukasz Émilie Nguyễn", status="approved"),
    ]
    return make_exhibition(photos)


def read_csv(data: bytes) -> list[dict]:
    """Read a CSV download the way a spreadsheet would: UTF-8 with its byte order mark."""
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_items_csv_keeps_formulas_as_text_and_accents(
    client, login_as, runner, tmp_path, hostile_exhibition
):
    login_as("curator")
    downloaded = client.get(f"/curate/{hostile_exhibition.id}/export.csv").get_data()
    path = tmp_path / "items.csv"
    result = runner.invoke(
        args=["export-exhibition", hostile_exhibition.slug, "--format", "csv", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    for data in (downloaded, path.read_bytes()):
        first, second = read_csv(data)
        assert first["caption"] == """'=HYPERLINK("http://x","click")"""
        assert (first["title"], second["title"]) == ("'+1", "'@SUM(A1)")
        assert "Łukasz Émilie Nguyễn" in second["credit"]
        assert first["position"] == "1"


FETCHED = frozenset({"src", "srcset", "poster", "data", "background"})


class FetchedUrls(HTMLParser):
    """Collect the URLs a browser would fetch by itself while showing a page (not links)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note src-like attributes, every <link href>, and url() in style attributes."""
        for name, value in attrs:
            if name in FETCHED or (tag == "link" and name == "href"):
                self.urls.extend(part.split()[0] for part in (value or "").split(",") if part)
            if name == "style":
                self.urls.extend(css_urls(value or ""))

    def handle_data(self, data: str) -> None:
        """Note url() and @import inside a <style> element (harmless in other text)."""
        self.urls.extend(css_urls(data))


def css_urls(css: str) -> list[str]:
    """Return what url(…) and @import name in a piece of CSS."""
    return re.findall(r"""(?:url\(\s*|@import\s+)['"]?([^'")\s;]+)""", css)


def fetched_urls(html: str) -> list[str]:
    """Return the URLs a browser would fetch to show this HTML."""
    parser = FetchedUrls()
    parser.feed(html)
    return parser.urls


TRACKED_BODY = """Our *technicians*, see [their union](https://union.example/).

![x](https://tracker.example/p.png)

<img src="https://tracker.example/q.png" alt="q">
<img src="//tracker.example/r.png" alt="r"> <img src="/\\tracker.example/s.png" alt="s">
<img src="&#104;ttps://tracker.example/t.png"> <img srcset="https://tracker.example/u.png 2x">
<link rel="stylesheet" href="https://tracker.example/v.css">
<iframe src="https://tracker.example/w"></iframe>
<p style="background: url(https://tracker.example/x.png)">styled</p>
<style>@import "https://tracker.example/y.css";</style>
"""


def test_no_remote_image_reaches_the_gallery_or_the_kiosk_export(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)
    exhibition.body = TRACKED_BODY
    db.session.commit()

    page = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "tracker.example" not in " ".join(fetched_urls(page))
    assert 'href="https://union.example/"' in page  # links to other sites stay
    login_as("curator")
    zipped = client.get(f"/curate/{exhibition.id}/export.zip").get_data()
    with zipfile.ZipFile(io.BytesIO(zipped)) as site:
        texts = {name: site.read(name).decode() for name in site.namelist()
                 if name.endswith((".html", ".css"))}  # fmt: skip
    assert {"index.html", "style.css"} <= set(texts)
    fetched = fetched_urls(texts["index.html"]) + css_urls(texts["style.css"])
    assert fetched and not [url for url in fetched if urlsplit(url).scheme or "//" in url]
    assert "tracker.example" not in " ".join(fetched)


@pytest.mark.parametrize(
    ("markdown", "kept"),
    [
        ("![Our lab](/static/icons/lab.svg)", 'src="/static/icons/lab.svg"'),
        ("![x](https://tracker.example/p.png)", '<img alt="x">'),
        ('<img src="//tracker.example/p.png" alt="x">', '<img alt="x">'),
        ('<img src=" https://tracker.example/p.png" alt="x">', '<img alt="x">'),
        ("[a union](https://union.example/)", 'href="https://union.example/"'),
    ],
)
def test_an_introduction_keeps_only_images_of_this_site(markdown, kept):
    assert kept in render_introduction(markdown)


def test_kiosk_export_leaves_out_people_who_declined_physical_exhibitions(
    client, runner, login_as, tmp_path, make_person, make_photo, make_exhibition
):
    login_as("curator")
    online_only = make_person("Wen Online", scopes=["web", "internal"])
    in_rooms = make_person("Rosa Rooms", scopes=["exhibition"])
    exhibition = make_exhibition(  # a public web gallery, exported for a kiosk as well
        [
            make_photo(
                title="Bench work",
                caption="Soldering a sensor board.",
                status="approved",
                people=[online_only],
            ),
            make_photo(
                title="Kiln room",
                caption="Firing porcelain insulators.",
                status="approved",
                people=[in_rooms],
            ),
        ]
    )
    path = tmp_path / "kiosk.zip"
    result = runner.invoke(
        args=["export-exhibition", exhibition.slug, "--format", "static", "-o", str(path)]
    )
    assert result.exit_code == 0 and ": 1 items." in result.output
    downloaded = client.get(f"/curate/{exhibition.id}/export.zip").get_data()
    for data in (downloaded, path.read_bytes()):
        with zipfile.ZipFile(io.BytesIO(data)) as site:
            html = site.read("index.html").decode()
            images = sorted(name for name in site.namelist() if name.startswith("images/"))
        # A kiosk is a physical showing whatever the web visibility: physical consent decides.
        assert "Firing porcelain" in html and "Soldering" not in html
        assert images == ["images/001-display.jpg", "images/001-large.jpg"]
    # The web gallery is judged by web consent, as before.
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "Soldering" in gallery and "Firing porcelain" not in gallery
