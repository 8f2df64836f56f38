"""In a real browser: a curator writes a career profile, the person agrees to it through their
personal link and it is public; they withdraw, and it is gone from its page and the index."""

from archive.consent.link import issue_link
from archive.consent.models import ConsentScope
from tests.e2e.conftest import log_in


def test_a_profile_is_public_while_its_person_agrees_through_their_link(
    live_server, browser, screenshot, make_user, make_person, make_photo, make_exhibition
):
    curator = make_user("curator", name="Hannah Clarke")
    person = make_person("Kemi Adebayo")
    photo = make_photo(people=[person], status="approved", title="Turning a brass fitting")
    token = issue_link(person, curator)

    staff = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(staff, live_server, curator)
    staff.goto(f"{live_server}/people/{person.id}")
    staff.get_by_role("link", name="Write or change the career profile").click()
    staff.get_by_label("Role or headline").fill("Mechanical workshop lead")
    staff.get_by_label("Their story, in their own words").fill(
        "I started as an **apprentice** at 16 and now run the workshop."
    )
    staff.get_by_label("Turning a brass fitting").check()
    staff.get_by_label("Published").check()
    staff.get_by_role("button", name="Save the profile").click()
    staff.wait_for_selector("text=Saved the profile of Kemi Adebayo.")
    # Written and published, but she has not agreed: the page says why it is not public.
    assert "has not agreed to a public career profile" in staff.inner_text("main")
    screenshot(staff, "written-not-public")

    visitor = browser.new_page(viewport={"width": 1200, "height": 900})
    profile_url = f"{live_server}/profiles/kemi-adebayo"
    assert visitor.goto(profile_url).status == 404

    # She opens her link, agrees to the profile (and the web, for her photo) and saves.
    person_page = browser.new_page(viewport={"width": 1200, "height": 900})
    person_page.goto(f"{live_server}/my-consent/{token}")
    person_page.get_by_label(ConsentScope.PROFILE.label).check()
    person_page.get_by_label(ConsentScope.WEB.label).check()
    person_page.get_by_label("Type your full name").fill("Kemi Adebayo")
    person_page.get_by_role("button", name="Save my answer").click()
    person_page.wait_for_selector("text=A public career profile")
    screenshot(person_page, "agreed")

    assert visitor.goto(profile_url).status == 200
    assert visitor.get_by_role("heading", level=1).inner_text() == "Kemi Adebayo"
    assert "Mechanical workshop lead" in visitor.inner_text("main")
    assert visitor.locator("main strong", has_text="apprentice").count() == 1
    image = visitor.locator("main figure img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert photo.derivative("display").sha256 in image.get_attribute("src")
    screenshot(visitor, "profile")
    visitor.goto(f"{live_server}/profiles/")
    visitor.get_by_role("link", name="Kemi Adebayo").click()
    visitor.wait_for_url(profile_url)
    visitor.goto(f"{live_server}/profiles/")
    screenshot(visitor, "index")

    # The curator features it in an exhibition: a card on the gallery, linking to it.
    exhibition = make_exhibition([photo])
    staff.goto(f"{live_server}/curate/{exhibition.id}")
    staff.get_by_label("Kemi Adebayo").check()
    staff.get_by_role("button", name="Save the featured profiles").click()
    staff.wait_for_selector("text=Featuring 1 career profile.")
    screenshot(staff, "featured-in-the-builder")
    gallery_url = f"{live_server}/exhibitions/{exhibition.slug}"
    visitor.goto(gallery_url)
    card = visitor.locator(".featured-profiles a", has_text="Kemi Adebayo")
    assert card.get_attribute("href") == "/profiles/kemi-adebayo"
    screenshot(visitor, "gallery-card")

    # She withdraws through the same link: gone on the next request, index included.
    person_page.goto(f"{live_server}/my-consent/{token}")
    person_page.get_by_role("button", name="Withdraw my consent").click()
    person_page.wait_for_selector("text=Your consent is withdrawn")
    assert visitor.goto(profile_url).status == 404
    visitor.goto(f"{live_server}/profiles/")
    assert "Kemi Adebayo" not in visitor.inner_text("main")
    assert "No career profiles are published yet." in visitor.inner_text("main")
    visitor.goto(gallery_url)
    assert visitor.locator(".featured-profiles").count() == 0
    for page in (staff, visitor, person_page):
        page.context.close()
