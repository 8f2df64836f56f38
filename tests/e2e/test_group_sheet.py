"""A curator records an event and a class's group consent sheet, then reads the event page."""

from archive.extensions import db
from archive.people.models import Person
from tests.consent.test_audit import pdf
from tests.e2e.conftest import log_in


def test_curator_records_an_event_and_its_group_sheet(
    live_server, browser, screenshot, make_user, make_person, make_photo, tmp_path
):
    curator = make_user("curator")
    ada = make_person("Ada Mensah")
    sheet_file = tmp_path / "year-10-sheet.pdf"
    sheet_file.write_bytes(pdf())
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)

    page.goto(f"{live_server}/events/new")
    page.fill("#title", "Outreach day")
    page.fill("#held_on", "2026-03-12")
    page.fill("#place", "Main gallery")
    page.fill("#notice", "Signs at the entrance said photos would be taken.")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/events/*")
    event_url = page.url

    page.goto(f"{live_server}/consent/sheets/new")
    page.set_input_files("#file", str(sheet_file))
    page.select_option("#event", label="Outreach day (12 March 2026)")
    page.check(f"input[name=people][value='{ada.id}']")
    page.fill("#new_people", "Dana Kowalski; Ruth Kowalski; Mother; ruth@example.org; web")
    for use in ("internal", "web"):
        page.check(f"input[name=scopes][value={use}]")
    page.fill("#signed_on", "2026-03-12")
    screenshot(page, "new-sheet")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/consent/sheets/*")
    assert "Recorded the group sheet for 2 people." in page.inner_text("main")
    assert "Dana Kowalski" in page.inner_text("main")
    screenshot(page, "sheet")

    db.session.rollback()  # end the read ada.id began, to see what the server committed since
    dana = db.session.execute(db.select(Person).filter_by(name="Dana Kowalski")).scalar_one()
    photo = make_photo(people=[ada, dana], status="approved", title="Pupils at the microscope")
    photo.event_id = int(event_url.rsplit("/", 1)[1])
    db.session.commit()
    page.goto(event_url)
    text = page.inner_text("main")
    assert "Pupils at the microscope" in text
    assert text.lower().count("consented") == 2  # the badges are shown in capitals
    assert page.inner_text("table.event-photos tbody td:last-child") == "Yes"  # public web
    screenshot(page, "event")
