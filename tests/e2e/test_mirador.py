"""Mirador 3+ on another site opens a public exhibition's manifest and shows every image.

The viewer is the npm package (package.json), served by the test from a second server on
another port of 127.0.0.1: another origin, as a partner museum's page would be.
"""

import functools
import json
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from archive.exhibitions.models import Visibility
from tests.fixtures.app import ROOT

MIRADOR = ROOT / "node_modules" / "mirador" / "dist" / "mirador.min.js"
# One window per canvas named in the query string, so that every canvas's image is drawn.
# OpenSeadragon asks for the images in CORS mode, as a viewer that reads their pixels
# (to crop, compare or export) must: without it, a plain <img> would load them anyway.
VIEWER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A partner's viewer</title></head>
<body><div id="viewer" style="position: absolute; inset: 0"></div>
<script src="mirador.min.js"></script>
<script>
  const query = new URLSearchParams(location.search);
  const manifestId = query.get("manifest");
  const canvases = query.getAll("canvas");
  Mirador.viewer({
    id: "viewer",
    osdConfig: { crossOriginPolicy: "Anonymous" },
    windows: canvases.length
      ? canvases.map((canvasId) => ({ manifestId, canvasId }))
      : [{ manifestId }],
  });
</script></body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """Keep the test's output to its own."""


@pytest.fixture
def partner_site(tmp_path):
    """Serve a page with Mirador on its own port of 127.0.0.1; yield the page's URL."""
    if not MIRADOR.exists():
        pytest.skip(f"{MIRADOR} is missing: ./scripts/test installs it with npm ci")
    folder = tmp_path / "partner"
    folder.mkdir()
    (folder / "index.html").write_text(VIEWER_PAGE)
    (folder / "mirador.min.js").symlink_to(MIRADOR)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/index.html"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def archive_site(app, live_server):
    """Serve the archive, its links (PUBLIC_URL) pointing at where it is served."""
    app.config["PUBLIC_URL"] = live_server
    return live_server


def open_in_mirador(browser, page_url: str, manifest_url: str, canvases=()):
    """Open the manifest in the partner's Mirador; return the page and every response seen."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    query = "&".join(
        [f"manifest={quote(manifest_url, safe='')}"]
        + [f"canvas={quote(canvas, safe='')}" for canvas in canvases]
    )
    page.goto(f"{page_url}?{query}")
    return context, page, responses


def wait_for(page, condition, seconds: float = 30) -> bool:
    """Wait for the condition on what the page saw (Playwright reports it while it waits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(200)
    return condition()


def test_mirador_on_another_site_shows_every_image_of_a_public_exhibition(
    browser,
    partner_site,
    archive_site,
    client,
    exhibit_photos,
    make_exhibition,
):
    exhibition = make_exhibition(exhibit_photos)
    manifest_url = f"{archive_site}/exhibitions/{exhibition.slug}/manifest.json"
    manifest = json.loads(client.get(manifest_url).get_data())
    canvases = [canvas["id"] for canvas in manifest["items"]]
    images = {canvas["items"][0]["items"][0]["body"]["id"] for canvas in manifest["items"]}
    assert len(images) == len(exhibit_photos)
    context, page, responses = open_in_mirador(browser, partner_site, manifest_url, canvases)
    loaded = wait_for(page, lambda: images <= {url for url, status in responses if status == 200})
    assert loaded, f"images not loaded: {images - {url for url, _ in responses}}; {responses}"
    # Each window's OpenSeadragon drew its image: a canvas element per window.
    page.wait_for_function(
        f"document.querySelectorAll('.openseadragon-canvas canvas').length >= {len(canvases)}"
    )
    assert page.get_by_text(exhibition.title).first.is_visible()
    assert page.get_by_text("An error occurred").count() == 0
    context.close()


def test_mirador_cannot_open_an_unlisted_exhibition_without_its_key(
    browser,
    partner_site,
    archive_site,
    exhibit_photos,
    make_exhibition,
):
    exhibition = make_exhibition(exhibit_photos, visibility=Visibility.UNLISTED)
    manifest_url = f"{archive_site}/exhibitions/{exhibition.slug}/manifest.json"
    context, page, responses = open_in_mirador(browser, partner_site, manifest_url)
    # Without its key the archive answers 404, and to no other site: Mirador reports it.
    page.get_by_text("An error occurred").wait_for()
    page.wait_for_timeout(500)  # what Mirador would fetch next, had it read anything
    assert not [url for url, status in responses if "/media/" in url and status == 200]
    assert page.get_by_text(exhibition.title).count() == 0
    context.close()
