"""Every form sent back with errors opens on a summary linking to each field that needs work."""

import lxml.html
import pytest

from tests.fixtures.app import PASSWORD
from tests.test_html_validity import checker_messages

# (role, the form's URL, what is posted): each is refused for what it lacks or has wrong.
REFUSED = {
    "login": (None, "/login", {"email": "", "password": ""}),
    "password": ("contributor", "/account/password", {"current": "", "new": ""}),
    "new user": ("admin", "/admin/users", {"email": "", "name": "", "password": ""}),
    "licence": ("admin", "/admin/licences", {"code": "", "name": "", "credit_template": ""}),
    "new person": ("curator", "/people/new", {"name": ""}),
    "person": ("curator", "/people/{person}", {"name": ""}),
    "signed form": ("curator", "/people/{person}/consent", {"consent-signed_on": ""}),
    "erasure": ("admin", "/people/{person}/erase", {"confirm_name": ""}),
    "exhibition": ("curator", "/curate/", {"title": ""}),
    "photo description": ("curator", "/photos/{photo}/edit", {"title": "x" * 201}),
    "blur region": ("curator", "/photos/{photo}/blur", {"blur-left": "", "blur-width": "0"}),
    "download": ("comms", "/photos/{photo}/download", {"size": "display", "purpose": ""}),
    "upload": ("contributor", "/upload", {}),
}


@pytest.fixture
def refused_pages(app, client, make_user, consented_photo):
    """Return {name: (status, page)} for every form above, posted as its role."""
    person = consented_photo.people[0]
    users = {role: make_user(role) for role in ("contributor", "curator", "comms", "admin")}
    pages = {}
    for name, (role, url, data) in REFUSED.items():
        client.post("/logout")
        if role:
            client.post("/login", data={"email": users[role].email, "password": PASSWORD})
        response = client.post(url.format(person=person.id, photo=consented_photo.id), data=data)
        pages[name] = (response.status_code, response.get_data(as_text=True))
    return pages


def test_each_refused_form_leads_with_a_summary_of_links_to_its_fields(refused_pages):
    for name, (status, text) in refused_pages.items():
        page = lxml.html.fromstring(text)
        assert 400 <= status < 500, name
        assert page.findtext(".//title").startswith("Error: "), name
        summaries = page.xpath("//main//div[contains(@class, 'error-summary')][not(@hidden)]")
        assert len(summaries) == 1, (name, len(summaries))
        summary = summaries[0]
        assert summary.get("autofocus") is not None and summary.get("tabindex") == "-1", name
        assert summary.findtext(".//h2") == "There is a problem", name
        links = summary.xpath(".//a")
        assert links, name
        for link in links:
            target = link.get("href").removeprefix("#")
            (control,) = page.xpath(f"//*[@id='{target}']")
            assert control.tag in ("input", "select", "textarea", "div"), (name, target)
            assert link.text_content().strip() != "This field is required.", (name, target)
    assert "This field is required." not in " ".join(text for _, text in refused_pages.values())


def test_the_summary_names_each_problem_in_words_that_say_how_to_fix_it(refused_pages):
    _, login = refused_pages["login"]
    summary = lxml.html.fromstring(login).xpath("//div[contains(@class, 'error-summary')]")[0]
    assert [(a.get("href"), a.text_content()) for a in summary.xpath(".//a")] == [
        ("#email", "Enter the e-mail address you log in with."),
        ("#password", "Enter your password."),
    ]
    _, upload = refused_pages["upload"]
    assert '<a href="#photos-0-file">Choose at least one photo to upload.</a>' in upload


def test_a_page_without_errors_has_no_summary_and_no_error_title(client):
    text = client.get("/login").get_data(as_text=True)
    assert "error-summary" not in text
    assert "<title>Log in" in text


def test_the_refused_pages_pass_the_nu_html_checker(refused_pages, tmp_path):
    files = []
    for name, (_, text) in refused_pages.items():
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_text(text)
        files.append(str(path))
    errors = [m for m in checker_messages(files) if m["type"] in ("error", "non-document-error")]
    assert errors == []
