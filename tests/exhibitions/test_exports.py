"""Exports: the CSV, the IIIF manifest from the command line, and a static site for kiosks."""

import csv
import io
import json
import zipfile

from archive.exhibitions.models import Exhibition


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
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert [row["title"] for row in rows] == ["Glassblowing", "Lathe work", "Field kit"]
    assert rows[0]["alt_text"] == "Hands shape glowing glass"
    assert rows[0]["credit"].startswith("Photo:")
    manifest = json.loads(iiif_path.read_text())
    assert manifest["id"] == f"http://127.0.0.1:5000/exhibitions/{exhibition.slug}/manifest.json"
    assert len(manifest["items"]) == 3
    with zipfile.ZipFile(zip_path) as site:
        names = set(site.namelist())
        assert {"index.html", "style.css"} <= names
        assert len([n for n in names if n.startswith("images/")]) == 6
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
