"""A curator works through the review queue with the keyboard alone: Tab, Enter and Space."""

from archive.extensions import db
from archive.photos.models import Photo, PhotoStatus
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_id, focused_text, tab_to

# Tab stops from a review page's heading to its Approve button; the audit counted 83 from the
# top of the page before the decision moved up and the tags folded away.
MOST_TAB_STOPS_TO_APPROVE = 5


def test_a_curator_filters_the_queue_and_approves_by_keyboard(
    live_server, browser, screenshot, make_user, make_person, make_photo
):
    owner = make_user("contributor", name="Tomasz Technician")
    consenting = make_person("Grace Adeyemi", scopes=["internal", "web"])
    unrecorded = make_person("Joseph Okafor")
    first = make_photo(uploaded_by=owner, title="Lathe at dawn", no_identifiable_people=False)
    make_photo(uploaded_by=owner, title="Grace at the bench", people=[consenting])
    third = make_photo(uploaded_by=owner, title="Joseph soldering", people=[unrecorded])
    curator = make_user("curator", name="Cora Curator")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)

    # Open the queue from the main navigation.
    tab_to(page, "header nav a[href='/review']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/review")
    assert "3 photos awaiting review, oldest first." in page.inner_text("#queue-count")

    # Filter: only photos missing a consent.
    tab_to(page, "input[name=missing_consent]")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=missing_consent]")
    tab_to(page, ".queue-filters button[type=submit]")
    page.keyboard.press("Enter")
    # The form sends every field, the blank ones too: each blank is read as "any".
    page.wait_for_url(lambda url: "missing_consent=yes" in url and url.endswith("#queue-count"))
    assert focused_id(page) == "queue-count"
    assert "2 photos awaiting review that match these filters" in focused_text(page)
    screenshot(page, "queue-filtered")

    # Open the first photo: its page starts at its heading.
    assert tab_to(page, "main a[href*='/review/']") == 1
    assert focused_text(page) == "Review “Lathe at dawn”"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/review/{first.id}?missing_consent=yes#photo-heading")
    assert focused_id(page) == "photo-heading"
    screenshot(page, "review-first")

    # Reach Approve in a few Tab stops: the skip link, then the decision's own fields.
    assert tab_to(page, "a[href='#decision']") == 1
    page.keyboard.press("Enter")
    assert focused_id(page) == "decision"
    presses = 1 + tab_to(page, "button[name=approve], input[name=approve]")
    assert presses <= MOST_TAB_STOPS_TO_APPROVE, f"{presses} Tab stops to Approve"
    screenshot(page, "approve-focused")
    page.keyboard.press("Enter")

    # The next photo of the same filtered queue (Grace's has her consent: skipped).
    page.wait_for_url(f"{live_server}/review/{third.id}?missing_consent=yes#photo-heading")
    assert focused_id(page) == "photo-heading"
    assert focused_text(page).startswith("Review “Joseph soldering”")
    message = page.inner_text(".flashes")
    assert "Approved “Lathe at dawn”. Next in the queue: “Joseph soldering”." in message
    screenshot(page, "next-photo")
    db.session.rollback()  # end the test's read, begun before the approval
    assert db.session.get(Photo, first.id).status == PhotoStatus.APPROVED
    page.close()
