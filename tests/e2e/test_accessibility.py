"""WCAG 2.2 AA on every page: axe-core in Chromium for every role, and reflow at 320 px."""

import re

from tests.fixtures.app import PASSWORD, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices besides; no rule is off.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
ROLES = ["visitor", "contributor", "curator", "comms", "admin"]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10: 320 CSS pixels wide without scrolling
# Doubling the browser's default font size is what a person does on a phone: Android's and
# iOS's text-size settings (and Chrome's own) make text larger and the layout reflows, where
# page zoom also scales the viewport, which the 320 px check already covers (1280 px at 400 %).
# So the phone keeps its width and every length in rem or em doubles; a length in px does not.
PHONE = {"width": 390, "height": 844}
DOUBLE_TEXT = {"standard": 32, "fixed": 26}
NORMAL_TEXT = {"standard": 16, "fixed": 13}

# The error state of every form: (role, the page's URL pattern, the form, the button pressed).
# Each form's text fields are emptied and it is sent, so the server answers with its errors.
FORMS = [
    ("visitor", r"/login", "main form", "[type=submit]"),
    ("visitor", r"/password/forgot", "main form", "[type=submit]"),
    ("visitor", r"/password/reset/[\w-]+\.[\w.-]+", "main form", "[type=submit]"),
    ("contributor", r"/account/password", "main form", "[type=submit]"),
    ("contributor", r"/upload", "#upload-form", "[type=submit]"),
    ("curator", r"/people/new", "main form", "[type=submit]"),
    ("curator", r"/people/\d+", "form[enctype]", "[type=submit]"),
    ("curator", r"/people/\d+", "form:has(#ask-email)", "[type=submit]"),
    ("curator", r"/photos/\d+/edit", "main form", "[type=submit]"),
    ("curator", r"/review/\d+", "form.consent-record", "[type=submit]"),
    ("curator", r"/review/\d+", "form:has(#reject)", "#reject"),
    ("curator", r"/review/\d+", "form.blur-form", "[type=submit]"),
    ("curator", r"/curate/", "form.narrow", "[type=submit]"),
    ("curator", r"/curate/\d+", "form.narrow", "[type=submit]"),
    ("comms", r"/photos/\d+/download", "main form", "[type=submit]"),
    ("admin", r"/admin/users", "form.narrow:not([action])", "[type=submit]"),  # add a user
    ("admin", r"/admin/licences", "form.narrow", "[type=submit]"),
    ("admin", r"/people/\d+/erase", "form.narrow", "[type=submit]"),
]
REFUSED = ".error, .error-summary:not([hidden])"
# A form folded in a <details> (the builder's exhibition details) is opened, as a person would.
EMPTY_TEXT_FIELDS = """form => {
  for (let fold = form.closest("details"); fold; fold = fold.parentElement.closest("details"))
    fold.open = true;
  for (const input of form.querySelectorAll(
      "input[type=text], input[type=email], input[type=password], input[type=date], textarea"))
    input.value = "";
}"""

# The document's width, the viewport's, and the innermost elements reaching past its edge.
WIDER_THAN_VIEWPORT = """() => {
  const edge = window.innerWidth;
  const scrolls = element =>
    ["auto", "scroll", "hidden"].includes(getComputedStyle(element).overflowX);
  const inScroller = element => element.parentElement !== document.body &&
    (scrolls(element.parentElement) || inScroller(element.parentElement));
  const past = element =>
    element.getBoundingClientRect().right > edge + 0.5 && !inScroller(element);
  const innermost = Array.from(document.body.querySelectorAll("*"))
    .filter(element => past(element) && !Array.from(element.children).some(past));
  const names = innermost.slice(0, 3).map(element =>
    element.tagName.toLowerCase() + (element.className ? "." + element.className : "") +
    (element.id ? "#" + element.id : ""));
  return [document.documentElement.scrollWidth, edge, names.join(", ")];
}"""


def violations(page, state: str) -> list[str]:
    """Run axe-core on the page as it is now; return one line per failing element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # Only violations are wanted; axe skips the detail of passes, which is most of its work.
    options = "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}"
    found = page.evaluate(f"tags => axe.run(document, {options})", AXE_TAGS)["violations"]
    return [
        f"{state}: {rule['id']} ({rule['impact']}) at {node['target']}: {rule['help']}"
        for rule in found
        for node in rule["nodes"]
    ]


def overflow(page, state: str) -> list[str]:
    """Return the state, and what sticks out, if the document is wider than the viewport."""
    wide, viewport, culprits = page.evaluate(WIDER_THAN_VIEWPORT)
    if wide <= viewport:
        return []
    return [f"{state}: the page is {wide} px wide in a {viewport} px viewport: {culprits}"]


def signed_in_page(browser, base: str, user):
    """Return a page in a new context of its own, signed in through the login form."""
    assert AXE.is_file(), f"{AXE} missing: run `npm ci --ignore-scripts` (./scripts/test does)"
    # axe is injected as an inline script, which the archive's own policy rightly refuses.
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    if user is not None:
        page.goto(f"{base}/login")
        page.fill("#email", user.email)
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
    return page


def html_pages(page, base: str, urls: list[str]):
    """Yield each URL whose answer is an HTML page (no file, JSON or redirect), opened."""
    error_pages = set()
    for url in urls:
        answer = page.context.request.get(f"{base}{url}", max_redirects=0)
        kind = answer.headers.get("content-type", "")
        attachment = "attachment" in answer.headers.get("content-disposition", "")
        if not kind.startswith("text/html") or attachment or 300 <= answer.status < 400:
            continue
        if answer.status >= 400:  # one template for every refusal: once per role is enough
            if answer.status in error_pages:
                continue
            error_pages.add(answer.status)
        page.goto(f"{base}{url}")
        yield url


def test_every_page_passes_axe_and_reflows(browser, live_server, site_pages):
    found, states = [], 0
    for role in ROLES:
        page = signed_in_page(browser, live_server, site_pages.users.get(role))
        fonts = page.context.new_cdp_session(page)
        for url in html_pages(page, live_server, site_pages.urls):
            page.set_viewport_size(DESKTOP)
            found += violations(page, f"{role} {url} at 1280 px")
            page.set_viewport_size(NARROW)
            found += violations(page, f"{role} {url} at 320 px")
            found += overflow(page, f"{role} {url} at 320 px")
            page.set_viewport_size(PHONE)
            fonts.send("Page.setFontSizes", {"fontSizes": DOUBLE_TEXT})
            found += overflow(page, f"{role} {url} on a phone at 200 % text")
            fonts.send("Page.setFontSizes", {"fontSizes": NORMAL_TEXT})
            states += 2
        page.context.close()
    # The accessibility statement gives the count of states: this, plus the test below.
    print(f"axe-core: {states} page states; reflow: {states} at 320 px and at 200 % text")
    assert not found, "\n".join(found)
    assert states > 100  # five roles, every page they may open, at two widths


def test_every_form_error_and_the_lightbox_pass_axe(browser, live_server, site_pages):
    found, states = [], 0
    for role in ROLES:
        forms = [entry for entry in FORMS if entry[0] == role]
        if not forms:
            continue
        page = signed_in_page(browser, live_server, site_pages.users.get(role))
        for _, pattern, form, button in forms:
            url = next(u for u in reversed(site_pages.urls) if re.fullmatch(pattern, u))
            page.goto(f"{live_server}{url}")
            page.locator(form).evaluate(EMPTY_TEXT_FIELDS)
            # The upload page sends itself and shows the answer in place; the others load it.
            page.locator(form).locator(button).first.click()
            print("refused:", role, url, form)  # shown if the refusal never comes
            page.wait_for_selector(REFUSED, state="visible", timeout=10_000)
            page.wait_for_load_state()
            for size, width in ((DESKTOP, 1280), (NARROW, 320)):
                page.set_viewport_size(size)
                found += violations(page, f"{role} {url} {form} refused, at {width} px")
                states += 1
            found += overflow(page, f"{role} {url} {form} refused, at 320 px")
            page.set_viewport_size(DESKTOP)
        page.context.close()
    page = signed_in_page(browser, live_server, None)
    gallery = next(u for u in site_pages.urls if re.fullmatch(r"/exhibitions/[\w-]+", u))
    page.goto(f"{live_server}{gallery}")
    page.locator(".gallery a.zoom").first.click()
    page.wait_for_selector(".lightbox:not([hidden]) img[src]")
    # axe leaves text over a translucent fixed layer "to review", so the caption is measured here.
    text, layer = page.evaluate(
        "() => [getComputedStyle(document.querySelector('.lightbox figcaption')).color,"
        " getComputedStyle(document.querySelector('.lightbox')).backgroundColor]"
    )
    assert contrast(text, over_white(layer)) >= 4.5, (text, layer)
    for size, width in ((DESKTOP, 1280), (NARROW, 320)):
        page.set_viewport_size(size)
        found += violations(page, f"the open lightbox at {width} px")
        states += 1
    page.context.close()
    print(f"axe-core: {states} error and lightbox states")
    assert not found, "\n".join(found)


def contrast(one: str, other: str) -> float:
    """Return the WCAG contrast ratio of two CSS colours given as rgb(r, g, b)."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over_white(colour: str) -> str:
    """Return an rgba() colour laid over white (the lightest page behind it) as rgb()."""
    *channels, alpha = [*map(float, re.findall(r"[\d.]+", colour)), 1.0][:4]
    mixed = [round(c * alpha + 255 * (1 - alpha)) for c in channels]
    return "rgb({}, {}, {})".format(*mixed)


def test_the_focus_ring_stands_out_on_the_page_and_on_white(browser, live_server, screenshot):
    page = browser.new_page(viewport=NARROW)
    page.goto(f"{live_server}/accessibility")
    screenshot(page, "statement-320px")
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name, a link on the page's background
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor,"
        " getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.documentElement).backgroundColor]; }"
    )
    screenshot(page, "focus-ring")
    page.close()
    style, width, colour, body, page_colour = ring
    background = page_colour if body == "rgba(0, 0, 0, 0)" else body
    assert style == "solid" and width >= 2
    # WCAG 1.4.11: 3:1 against what the ring sits on, the page or a white field or header.
    assert contrast(colour, background) >= 3, (colour, background)
    assert contrast(colour, "rgb(255, 255, 255)") >= 3, colour
