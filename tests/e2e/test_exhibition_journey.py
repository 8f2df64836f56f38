"""A curator builds an exhibition from a smart rule and publishes it; a visitor browses it."""

from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers
from tests.e2e.conftest import log_in


def woman(make_person, name):
    # An exhibition of women is about identity: each opted in to being featured in one.
    person = make_person(name, scopes=["web", "internal", "identity"])
    gender = next(a for a in edi_attributes() if a.key == "gender")
    with db.session.begin_nested():
        set_answers(
            person,
            {gender.id: (next(o.id for o in gender.options if o.label == "Woman"), "")},
            None,
        )
    db.session.commit()
    return person


def test_curator_builds_and_visitor_browses(
    live_server, browser, screenshot, make_user, make_person, make_photo
):
    from archive.search.index import apply_pending_changes

    curator = make_user("curator")
    shown = [
        make_photo(
            title="Glass lathe",
            alt_text="Glass turning on a lathe",
            status="approved",
            people=[woman(make_person, "Priya Raman")],
        ),
        make_photo(
            title="Cleanroom",
            alt_text="A figure in a white suit",
            status="approved",
            people=[woman(make_person, "Mei Lin")],
        ),
        make_photo(
            title="Sample store",
            alt_text="",
            status="approved",
            people=[woman(make_person, "Aisha Bello")],
        ),
    ]
    make_photo(title="Welding bay", status="approved", people=[make_person("Tom", scopes=["web"])])
    apply_pending_changes()

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/curate/")
    page.fill("#title", "Women in technical roles")
    page.fill("#summary", "Technicians at work across the university.")
    page.fill("#smart_rule", "gender:woman")
    page.click("main button:has-text('Create')")
    assert "its smart rule searches people's EDI answers" in page.inner_text("#identity-note")
    proposed = page.locator("input[name=photo]")
    assert proposed.count() == 3  # the three women, not the welder
    assert page.locator(".badge", has_text="new").count() == 3
    for index in range(3):
        proposed.nth(index).check()
    page.click("text=Add the ticked photos")
    titles = page.locator("ol.items li.item strong").all_inner_texts()
    assert len(titles) == 3
    # Swap the first two with the keyboard-friendly buttons.
    page.locator("ol.items li.item").first.locator("button[value=down]").click()
    titles_after = page.locator("ol.items li.item strong").all_inner_texts()
    assert titles_after[:2] == [titles[1], titles[0]]

    page.click("form[action$='/publish'] button")
    assert "has no alt text" in page.inner_text(".flashes")
    screenshot(page, "refused")
    missing = page.locator("ol.items li.item", has_text="Sample store")
    missing.locator("summary").click()  # the item's texts are on demand
    missing.locator("input[id$='-alt_text']").fill("Racks of vials in a freezer")
    missing.locator("text=Save item").click()
    page.click("form[action$='/publish'] button")
    assert page.url.endswith("/exhibitions/women-in-technical-roles")

    visitor = browser.new_page(viewport={"width": 390, "height": 844})
    visitor.goto(f"{live_server}/exhibitions/women-in-technical-roles")
    alts = visitor.eval_on_selector_all(".gallery img", "images => images.map(i => i.alt)")
    expected = {p.title: p.alt_text or "Racks of vials in a freezer" for p in shown}
    assert alts == [expected[title] for title in titles_after]
    visitor.wait_for_load_state("networkidle")
    assert all(visitor.eval_on_selector_all(".gallery img", "i => i.map(x => x.naturalWidth > 0)"))
    screenshot(visitor, "gallery")
    visitor.locator(".gallery a.zoom").first.click()
    assert visitor.locator(".lightbox").is_visible()
    first = visitor.locator(".lightbox img").get_attribute("src")
    visitor.keyboard.press("ArrowRight")
    assert visitor.locator(".lightbox img").get_attribute("src") != first
    assert visitor.locator(".lightbox img").get_attribute("alt") == alts[1]
    screenshot(visitor, "lightbox")
    visitor.keyboard.press("Escape")
    assert not visitor.locator(".lightbox").is_visible()
    focused = visitor.evaluate("document.activeElement.classList.contains('zoom')")
    assert focused  # focus went back to the picture that was opened
    page.close()
    visitor.close()
