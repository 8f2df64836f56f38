"""Photos chosen many at once, previewed, described afterwards; refusals keep what was chosen.

A file chooser is the one step a keyboard cannot drive in headless Chromium (it opens no
dialog there), so these tests hand the chosen files to the input with set_input_files, as
the dialog would, and do everything else with the keys a person would press.
"""

import io

from PIL import Image

from archive.extensions import db
from archive.photos.models import Photo, PhotoStatus
from tests.e2e.conftest import log_in

CHOSEN = "input => Array.from(input.files).map(file => file.name)"
PREVIEWS_LOADED = """count => {
  const images = [...document.querySelectorAll('.photo-entry:not([hidden]) .preview img')];
  return images.length === count && images.every(image => image.complete && image.naturalWidth > 0);
}"""
FOCUSED_ID = "() => document.activeElement.id"


def focused(page) -> str:
    """Return what has focus: its id, else its class, else its tag."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || e.className || e.tagName.toLowerCase(); }"
    )


def test_a_missing_alt_text_is_refused_and_the_photo_stays_chosen(upload_page, screenshot, picture):
    page = upload_page
    photo = picture(size=(800, 600))
    page.set_input_files("#choose-photos", str(photo))
    page.wait_for_function(PREVIEWS_LOADED, arg=1)
    page.fill("#photos-0-title", "Cryostat")
    page.check("#photos-0-no_identifiable_people")
    page.click("form#upload-form button[type=submit]")

    summary = page.locator(".error-summary", has_text="There is a problem")
    summary.wait_for()
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Error: Upload photos")
    links = summary.locator("a")
    assert links.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "#photos-0-alt_text"
    ]
    assert "Enter alt text" in links.first.inner_text()
    # The photo is still chosen, and its preview still shown: nothing to choose again.
    assert page.eval_on_selector("#photos-0-file", CHOSEN) == [photo.name]
    page.wait_for_function(PREVIEWS_LOADED, arg=1)
    assert page.locator(".choose-again").count() == 0
    assert page.get_attribute("#photos-0-alt_text", "aria-invalid") == "true"
    screenshot(page, "refused")

    page.keyboard.press("Tab")  # from the focused summary to its first link
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == (
        "#photos-0-alt_text"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(FOCUSED_ID + " === 'photos-0-alt_text'")
    page.keyboard.type("A cryostat's dewar steaming on a trolley")
    page.click("form#upload-form button[type=submit]")
    page.wait_for_url("**/my-uploads")
    assert "1 photo uploaded and awaiting review." in page.inner_text(".flashes")


def test_six_photos_chosen_at_once_on_a_phone(live_server, phone, screenshot, make_user, picture):
    technician = make_user("contributor", name="Tomasz Technician")
    photos = [picture(size=(1200, 900)) for _ in range(6)]
    page = phone
    log_in(page, live_server, technician)
    page.goto(f"{live_server}/upload")
    # Without a file, the page is a drop zone and an Upload button: no empty entries.
    assert page.locator(".photo-entry:visible").count() == 0
    screenshot(page, "empty")

    page.set_input_files("#choose-photos", [str(path) for path in photos])
    page.wait_for_function(PREVIEWS_LOADED, arg=6)
    assert page.inner_text(".drop-status") == "6 photos added: describe each below."
    for index in range(6):
        assert page.eval_on_selector(f"#photos-{index}-file", CHOSEN) == [photos[index].name]
        page.fill(f"#photos-{index}-title", f"Bench {index + 1}")
        page.fill(f"#photos-{index}-alt_text", f"Bench number {index + 1}, tools laid out")
        page.check(f"#photos-{index}-no_identifiable_people")
    screenshot(page, "described")
    page.click("form#upload-form button[type=submit]")

    page.wait_for_url(f"{live_server}/my-uploads")
    assert "6 photos uploaded and awaiting review." in page.inner_text(".flashes")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.tile img')].every(i => i.complete)"
    )
    assert page.locator(".tile img").count() == 6
    screenshot(page, "my-uploads")
    db.session.rollback()  # end this thread's read snapshot, taken before the server wrote
    assert sorted(p.title for p in Photo.query.all()) == [f"Bench {n}" for n in range(1, 7)]
    assert {p.status for p in Photo.query.all()} == {PhotoStatus.PENDING}


def test_an_upload_with_a_consent_form_by_keyboard_only(
    upload_page, live_server, screenshot, picture, make_person, tmp_path
):
    page = upload_page
    make_person("Priya Raman")
    make_person("Ben Carter")
    page.reload()  # the people list as it now stands
    consent = tmp_path / "consent-priya.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(buffer, "PDF")
    consent.write_bytes(buffer.getvalue())
    photo = picture(size=(1000, 750))

    def tab(expected: str, shift: bool = False) -> None:
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        assert focused(page) == expected

    tab("skip")
    page.keyboard.press("Enter")  # Skip to content: the next Tab is the first thing in main
    tab("choose-photos")
    page.set_input_files("#choose-photos", str(photo))  # the file dialog's part
    page.wait_for_function(PREVIEWS_LOADED, arg=1)
    assert focused(page) == "choose-photos"
    tab("photos-0-file")
    tab("photos-0-title")
    page.keyboard.type("Priya at the lathe")
    tab("photos-0-alt_text")
    page.keyboard.type("Priya turns a brass part on a small lathe")
    for expected in ("photos-0-caption", "photos-0-photographer", "photos-0-licence"):
        tab(expected)
    tab("photos-0-people-filter")
    page.keyboard.type("pri")
    assert page.inner_text(".people-filter [role=status]") == "1 of 2 people shown"
    tab("photos-0-people-1")  # Ben Carter (people-0) is hidden by the filter
    page.keyboard.press("Space")
    assert page.is_checked("#photos-0-people-1")
    screenshot(page, "person-ticked")
    for expected in (
        "photos-0-new_person_name",
        "photos-0-new_person_role",
        "photos-0-new_person_department",
        "photos-0-no_identifiable_people",
        "add-photo",
        "consent_forms",
    ):
        tab(expected)
    page.set_input_files("#consent_forms", str(consent))  # the file dialog's part
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Upload"
    screenshot(page, "ready")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server}/my-uploads")
    # The answer replaces the page; focus goes to its message, which is read out.
    page.wait_for_function("() => document.activeElement.classList.contains('flashes')")
    assert "1 photo uploaded and awaiting review." in page.inner_text(".flashes")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.tile img')].every(i => i.complete)"
    )
    screenshot(page, "uploaded")
    db.session.rollback()
    (stored,) = Photo.query.all()
    assert [person.name for person in stored.people] == ["Priya Raman"]


def test_photos_dropped_on_the_drop_zone_get_an_entry_each(upload_page, picture):
    page = upload_page
    photos = [picture(size=(640, 480)) for _ in range(2)]
    files = [{"name": path.name, "data": list(path.read_bytes())} for path in photos]
    # What a drag from the desktop delivers: a drop event whose DataTransfer holds the files.
    transfer = page.evaluate_handle(
        """files => {
          const transfer = new DataTransfer();
          files.forEach(f => transfer.items.add(
            new File([new Uint8Array(f.data)], f.name, { type: "image/jpeg" })));
          return transfer;
        }""",
        files,
    )
    page.dispatch_event("#drop-zone", "dragover", {"dataTransfer": transfer})
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    page.wait_for_function(PREVIEWS_LOADED, arg=2)
    assert page.inner_text(".drop-status") == "2 photos added: describe each below."
    assert page.eval_on_selector("#photos-1-file", CHOSEN) == [photos[1].name]


def test_without_javascript_the_page_offers_only_what_works(browser, live_server, make_user):
    technician = make_user("contributor")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, technician)
    page.goto(f"{live_server}/upload")
    # Each entry has its own file input; the drop zone and "Add another photo" need the script.
    assert page.locator("#photos-0-file").is_visible()
    assert not page.locator("#drop-zone").is_visible()
    assert not page.locator("#add-photo").is_visible()
    context.close()
