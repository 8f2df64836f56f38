"""Every HTML page, as a visitor and as an admin sees it, passes the Nu HTML Checker."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.fixtures.app import PASSWORD, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def pages(app, client, site_pages):
    """Return {file: "role URL"}: every GET page the routes know, as a visitor and an admin."""
    folder = Path(app.instance_path) / "pages"
    folder.mkdir()
    saved = {}
    for role in ("visitor", "admin"):
        if role == "admin":
            admin = site_pages.users["admin"]
            client.post("/login", data={"email": admin.email, "password": PASSWORD})
        for url in site_pages.urls:
            with client.get(url) as response:
                if response.mimetype != "text/html" or 300 <= response.status_code < 400:
                    continue  # files, JSON, and the redirects to the login page
                path = folder / f"{len(saved):03}.html"
                path.write_bytes(response.get_data())
                saved[str(path)] = f"{role} {url}"
    return saved


def checker_messages(files: list[str]) -> list[dict]:
    """Return the Nu HTML Checker's messages about the files, from one Java process."""
    assert VNU.is_file(), f"{VNU} missing: run `npm ci --ignore-scripts` (./scripts/test does)"
    # The JVM's start-up is most of the cost: one process for every page.
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return json.loads(done.stdout)["messages"]


def test_every_page_has_no_html_errors(pages):
    messages = checker_messages(sorted(pages))
    errors = [
        f"{pages[m['url'].removeprefix('file:')]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    warnings = sorted(
        {m["message"] for m in messages if m.get("subType") == "warning"}
    )  # reported, not failed: shown with pytest -rP
    print("Nu HTML Checker warnings:", *warnings, sep="\n  ")
    assert not errors, "\n".join(errors)
    assert len(pages) > 35  # both roles, error pages included
