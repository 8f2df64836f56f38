"""A curator makes a physical exhibition's print pack from its builder, or is told what to fix."""

import zipfile

from archive.exhibitions.services import add_photos
from archive.extensions import db
from tests.e2e.conftest import log_in
from tests.exhibitions.test_print_pack import physical  # noqa: F401 - the fixture


def test_the_builder_button_downloads_the_pack_or_lists_what_to_fix(
    live_server,
    browser,
    screenshot,
    make_user,
    make_person,
    make_photo,
    physical,  # noqa: F811
):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, make_user("curator"))
    page.goto(f"{live_server}/curate/{physical.id}")
    screenshot(page, "print-pack-button")
    with page.expect_download() as download:
        page.click("text=Print pack (zip)")
    with zipfile.ZipFile(download.value.path()) as pack:
        names = pack.namelist()
    assert {"labels.pdf", "checklist.pdf", "checklist.csv", "text-panel.pdf"} <= set(names)
    assert len([name for name in names if name.startswith("images/")]) == 5

    db.session.commit()  # end the read begun before the server's audit write: SQLite's WAL
    # would refuse to turn it into a write
    no_consent = make_photo(
        title="Soldering", status="approved", people=[make_person("Ama Owusu", scopes=["web"])]
    )
    add_photos(physical, [no_consent.id])
    page.goto(f"{live_server}/curate/{physical.id}")
    page.click("text=Print pack (zip)")
    assert "Item 6 (“Soldering”) cannot be shown" in page.inner_text("main")
    screenshot(page, "print-pack-refused")
    page.click("text=Back to “Hands at work”")
    assert page.url.endswith(f"/curate/{physical.id}")
