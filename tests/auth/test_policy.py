"""The access policy: one table of who may do what, read by views, templates and the navigation."""

import re
from datetime import date
from pathlib import Path

import pytest
from flask import render_template_string
from flask_login import AnonymousUserMixin

from archive.auth.access import CAPABILITIES, Action, action_required, allows, can
from archive.auth.models import Role
from archive.consent.intake import withdraw_consent
from archive.consent.rules import may_edit
from archive.photos.models import PhotoStatus

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "archive").rglob("*.py"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
TEMPLATE_CAN = re.compile(r"""\bcan\(\s*['"]([^'"]*)['"]""")
CODE_ACTION = re.compile(r"\bAction\.([A-Za-z_]+)\b")


def named_in_templates() -> set[str]:
    return {name for path in TEMPLATES for name in TEMPLATE_CAN.findall(path.read_text())}


def named_in_code() -> set[str]:
    return {name for path in SOURCES for name in CODE_ACTION.findall(path.read_text())}


def test_every_action_templates_ask_about_is_in_the_table():
    asked = named_in_templates()
    assert asked, "templates ask can('…') about the navigation's neighbours at least"
    assert asked - {action.value for action in Action} == set()


def test_every_action_the_code_names_exists():
    assert named_in_code() - {action.name for action in Action} == set()


def test_every_action_is_granted_to_someone_and_asked_about_somewhere():
    granted = set().union(*CAPABILITIES.values())
    assert set(Action) - granted == set()
    asked = named_in_code() | {Action(name).name for name in named_in_templates()}
    unused = {action.name for action in Action} - asked
    assert unused == set(), "an action no check asks about is dead: remove it"


def test_every_role_is_in_the_table():
    assert set(CAPABILITIES) == {None, *Role}


@pytest.mark.parametrize("typo", ["uplaod", "Upload", "admin", ""])
def test_an_unknown_action_raises_at_once_instead_of_denying(app, make_user, typo):
    admin = make_user("admin")
    with pytest.raises(ValueError):
        can(admin, typo)
    with pytest.raises(ValueError):
        allows(Role.ADMIN, typo)
    with pytest.raises(ValueError):
        action_required(typo)
    with app.test_request_context(), pytest.raises(ValueError):
        render_template_string("{{ can(action) }}", action=typo)


def test_visitors_may_do_only_what_the_table_gives_them(app):
    for viewer in (None, AnonymousUserMixin()):
        assert [action for action in Action if can(viewer, action)] == []


@pytest.mark.parametrize("role", list(Role))
def test_a_role_gets_what_a_visitor_gets_and_its_own_row(app, make_user, role):
    user = make_user(role)
    assert {action for action in Action if can(user, action)} == (
        CAPABILITIES[None] | CAPABILITIES[role]
    )


def test_editing_a_photo_is_for_its_uploader_while_in_review_or_curators_and_admins(
    make_user, make_photo
):
    owner, other = make_user("contributor"), make_user("contributor")
    photo = make_photo(uploaded_by=owner)
    assert can(owner, Action.EDIT_PHOTO, photo)
    assert not can(other, Action.EDIT_PHOTO, photo)
    assert not can(make_user("comms"), Action.EDIT_PHOTO, photo)
    assert not can(AnonymousUserMixin(), Action.EDIT_PHOTO, photo)
    for role in ("curator", "admin"):
        assert can(make_user(role), Action.EDIT_PHOTO, photo)
    photo.status = PhotoStatus.APPROVED
    assert not can(owner, Action.EDIT_PHOTO, photo)
    assert can(owner, Action.EDIT_PHOTO)  # the edit page's guard lets them in to ask


def test_no_one_may_edit_a_photo_they_cannot_see(make_user, make_person, make_photo):
    make_user("curator")
    owner = make_user("contributor")
    person = make_person("Mei Lin", scopes=["internal"])
    photo = make_photo(uploaded_by=owner, people=[person])
    assert may_edit(owner, photo)
    withdraw_consent(person.consent_forms[0], by=None, on=date.today())
    assert can(owner, Action.EDIT_PHOTO, photo)  # theirs and in review, as far as roles go
    assert not may_edit(owner, photo)  # but no longer shown to them


SIGNED_IN = ["Password", "E-mail choices"]
# What a curator's menu lists before the links every signed-in user has; admins add four.
CURATOR_LINKS = [
    "Search",
    "Exhibitions",
    "Upload",
    "My uploads",
    "Review",
    "People",
    "Events",
    "Curate",
    "Consent",
    "Representation",
    "Basket (0)",
    "My downloads",
]
NAVIGATION = {
    None: ["Search", "Exhibitions", "Log in"],
    "contributor": ["Search", "Exhibitions", "Upload", "My uploads", *SIGNED_IN],
    "comms": ["Search", "Exhibitions", "Basket (0)", "My downloads", *SIGNED_IN],
    "curator": [*CURATOR_LINKS, *SIGNED_IN],
    "admin": [*CURATOR_LINKS, "Users", "Licences", "Audit log", "Mail log", *SIGNED_IN],
}
NAV_LINK = re.compile(r'<li><a href="([^"]+)">([^<]+)</a></li>')


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_the_navigation_lists_what_the_user_may_open_in_order(client, login_as, role):
    if role:
        login_as(role)
    page = client.get("/").get_data(as_text=True)
    nav = page.split('<nav id="site-nav" aria-label="Main">')[1].split("</nav>")[0]
    links = NAV_LINK.findall(nav)
    assert [label for _url, label in links] == NAVIGATION[role]
    for url, _label in links:
        assert client.get(url, follow_redirects=True).status_code == 200, url
    assert ("Log out" in nav) == bool(role)
