"""Every admin, curator and account action writes exactly one audit event, naming the action.

The POST routes are taken from the app, so a new one fails here until it is listed as an
action (with the role allowed to do it, valid data and the event it must write) or exempted
with the reason it is not an action on the archive.
"""

import io
from datetime import date, timedelta

import pytest
from flask import url_for
from PIL import Image
from sqlalchemy import func, select

from archive.auth.models import Role, User
from archive.core.audit import AuditEvent
from archive.exhibitions.models import ExhibitionStatus
from archive.extensions import db
from archive.people.models import Person, Vocabulary
from archive.people.services import terms
from archive.photos.models import Photo
from tests.fixtures.app import PASSWORD, FreshGlobalsClient
from tests.fixtures.routes import route_values

FUTURE = (date.today() + timedelta(days=400)).isoformat()
NEW_PASSWORD = "quartz lantern meadow 42"


def _pdf() -> tuple[io.BytesIO, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, "PDF")
    return io.BytesIO(buffer.getvalue()), "signed.pdf"


def _draft(values):
    """Put the exhibition back to a draft without an audit event, so it can be published."""
    values["exhibition"].status = ExhibitionStatus.DRAFT
    db.session.commit()


def _physical(values):
    """Make the exhibition one shown in a room, which a print pack is for."""
    from archive.exhibitions.models import ExhibitionUse

    values["exhibition"].use = ExhibitionUse.PHYSICAL
    db.session.commit()


def _item(values, n=0):
    return f"item{values['exhibition'].items[n].id}"


def _shown_without_consent(values):
    """Show someone with an address and no consent in the photo, to be asked by e-mail."""
    photo = db.session.get(Photo, values["photo_id"])
    photo.people.append(Person(name="Ama Owusu", email="ama@example.org"))
    photo.no_identifiable_people = False
    db.session.commit()


def _in_basket(values):
    """Put the photo in the comms user's basket, so there is a basket to download."""
    from archive.downloads.basket import add_to_basket

    photo = db.session.get(Photo, values["photo_id"])
    add_to_basket(db.session.get(User, values["user_id"]), photo)


def _blurred(values):
    """Blur a region of the photo, so there is one to show sharp again."""
    from archive.photos.blur import blur_region
    from archive.photos.regions import Box

    photo = db.session.get(Photo, values["photo_id"])
    values["region_id"] = blur_region(photo, Box(0.1, 0.1, 0.2, 0.2), by=photo.uploaded_by).id


EXHIBITION_DETAILS = {"title": "Hands at work", "visibility": "public", "use": "web"}

# endpoint -> (role allowed to act, URL arguments, form data, the one event it must write,
#              something to arrange first, or None)
ACTIONS = {
    "auth.password": ("comms", {}, {"current": PASSWORD, "new": NEW_PASSWORD},
                      "user.password_changed", None),
    "reset.choose": ("comms", {"reset_token": "reset_token"},
                     {"new": NEW_PASSWORD, "again": NEW_PASSWORD}, "user.password_reset", None),
    "auth.users": ("admin", {}, {"email": "new@example.org", "name": "Ines Novak",
                                 "role": "curator", "password": NEW_PASSWORD},
                   "user.created", None),
    "auth.edit_user": ("admin", {"user_id": "user_id"}, {"role": "curator", "active": "y"},
                       "user.role_changed", None),
    "auth.sign_in_policy": ("admin", {}, {"required": "y"}, "site.sso_required", None),
    "photos.review": ("curator", {"photo_id": "pending_id"}, {"reject": "y", "note": "Blurred."},
                      "photo.rejected", None),
    # Approving several at once is one approval per photo: one photo ticked, one event.
    "photos.approve_many": ("curator", {}, lambda v: {"photos": [str(v["pending_id"])]},
                            "photo.approved", None),
    # Batch work on search results is one change per photo: one photo ticked, one event.
    "batch.run": ("curator", {}, lambda v: {"photo": [str(v["spare_id"])], "which": "ticked",
                                            "department": str(v["department_id"]),
                                            "action": "tags"},
                  "photo.tags_added", None),
    "photos.edit_photo": ("curator", {"photo_id": "photo_id"},
                          {"title": "At the lathe", "alt_text": "A brass rod on a lathe"},
                          "photo.edited", None),
    "blur.blur": ("curator", {"photo_id": "photo_id"},
                  {"blur-left": "10", "blur-top": "20", "blur-width": "15", "blur-height": "25"},
                  "photo.blurred", None),
    "focal.focal_point": ("curator", {"photo_id": "photo_id"}, {"focal-x": "70", "focal-y": "30"},
                          "photo.focal_point", None),
    "blur.unblur": ("curator", {"photo_id": "photo_id", "region_id": "region_id"},
                    {"confirm": "yes"}, "photo.unblurred", _blurred),
    "people.new": ("curator", {}, {"name": "Ama Owusu"}, "person.created", None),
    "people.person_page": ("curator", {"person_id": "person_id"}, {"name": "Grace A. Adeyemi"},
                           "person.edited", None),
    "people.upload_consent": ("curator", {"person_id": "person_id"},
                              lambda v: {"consent-file": _pdf(), "consent-scopes": ["web"],
                                         "consent-signed_on": "2026-02-01"},
                              "consent.recorded", None),
    "people.consent_link": ("curator", {"person_id": "person_id"}, {}, "consent.link_issued",
                            None),
    # Adding the address while asking is part of the request: one event, saying so.
    "people.ask_for_consent": ("curator", {"person_id": "person_id"},
                               {"ask-email": "grace@example.org"}, "consent.requested", None),
    "consent_requests.ask_people_shown_in": ("curator", {"photo_id": "photo_id"}, {},
                                             "consent.requested", _shown_without_consent),
    "people.erase": ("admin", {"person_id": "person_id"}, {"confirm_name": "Grace Adeyemi"},
                     "person.erased", None),
    "people.questions": ("admin", {}, {"label": "Caring duties", "options": "Yes\nNo"},
                         "edi_question.added", None),
    "consent.record": ("curator", {"form_id": "form_id"},
                      lambda v: {f"consent{v['form_id']}-person": v["person_id"],
                                 f"consent{v['form_id']}-scopes": ["web"],
                                 f"consent{v['form_id']}-signed_on": "2026-02-01"},
                      "consent.recorded", None),
    "consent.renew": ("curator", {"form_id": "form_id"}, {"expires_on": FUTURE},
                     "consent.renewed", None),
    "consent.withdraw": ("curator", {"form_id": "form_id"},
                         {"reason": "Asked by phone.", "confirm": "yes"},
                        "consent.withdrawn", None),
    "sheets.new_sheet": ("curator", {},
                         lambda v: {"file": _pdf(), "people": [str(v["person_id"])],
                                    "new_people": "Ama Owusu", "title": "Year 10 visit",
                                    "scopes": ["web"], "signed_on": "2026-02-01"},
                         "consent.sheet_recorded", None),
    "events.new": ("curator", {}, {"title": "Open lab day", "held_on": "2026-06-01"},
                   "event.created", None),
    "events.edit": ("curator", {"event_id": "event_id"},
                    {"title": "Open lab day", "held_on": "2026-06-02", "notice": "Signs."},
                    "event.edited", None),
    "licences.manage": ("admin", {"licence_id": "licence_id"},
                              {"code": "INST-USE", "name": "Internal use only",
                               "credit_template": "{photographer} / {institution}"},
                              "licence.edited", None),
    "downloads.download_photo": ("comms", {"photo_id": "photo_id"},
                                 {"size": "display", "purpose": "The newsletter.",
                                  "accept": "y"},
                                 "photo.downloaded", None),
    "downloads.social_kit_page": ("comms", {"photo_id": "photo_id"},
                                  {"purpose": "The open day post.", "accept": "y"},
                                  "photo.downloaded", None),
    # One photo in the basket: each photo of a basket is recorded as its own download.
    "downloads.download_basket_zip": ("comms", {}, {"size": "display", "purpose": "The newsletter.",
                                                    "accept": "y"},
                                      "photo.downloaded", _in_basket),
    "curate.exhibitions": ("curator", {}, EXHIBITION_DETAILS, "exhibition.created", None),
    "curate.edit": ("curator", {"exhibition_id": "exhibition_id"}, EXHIBITION_DETAILS,
                    "exhibition.updated", None),
    "curate.add": ("curator", {"exhibition_id": "exhibition_id"},
                   lambda v: {"photo": v["spare_id"]}, "exhibition.items_added", None),
    "curate.update_item": ("curator", {"exhibition_id": "exhibition_id", "item_id": "item_id"},
                           lambda v: {f"{_item(v)}-caption": "Early morning."},
                           "exhibition.item_updated", None),
    "curate.cover": ("curator", {"exhibition_id": "exhibition_id", "item_id": "item_id"}, {},
                     "exhibition.cover_set", None),
    "curate.move": ("curator", {"exhibition_id": "exhibition_id", "item_id": "item_id"},
                    {"direction": "down"}, "exhibition.reordered", None),
    "curate.remove": ("curator", {"exhibition_id": "exhibition_id", "item_id": "item_id"},
                      {"confirm": "yes"},
                      "exhibition.item_removed", None),
    "curate.order": ("curator", {"exhibition_id": "exhibition_id"},
                     lambda v: {"order": ",".join(str(i.id) for i in
                                                  reversed(v["exhibition"].items))},
                     "exhibition.reordered", None),
    "curate.publish_exhibition": ("curator", {"exhibition_id": "exhibition_id"}, {},
                                  "exhibition.published", _draft),
    "curate.unpublish_exhibition": ("curator", {"exhibition_id": "exhibition_id"}, {},
                                    "exhibition.unpublished", None),
    "curate.rotate_exhibition_key": ("curator", {"exhibition_id": "exhibition_id"}, {},
                                     "exhibition.key_rotated", None),
    "print_pack.print_pack_zip": ("curator", {"exhibition_id": "exhibition_id"}, {},
                                  "exhibition.print_pack", _physical),
    "profiles.edit": ("curator", {"person_id": "person_id"},
                      {"headline": "Workshop lead", "story": "I started at 16.", "published": "y"},
                      "profile.edited", None),
    "curate.feature": ("curator", {"exhibition_id": "exhibition_id"},
                       lambda v: {"profile": [str(v["profile_id"])]},
                       "exhibition.profiles_featured", None),
}  # fmt: skip

EXEMPT = {
    "auth.login": "opening a session changes no record; failed tries are counted per account "
    "by the lock-out, and a log of every login would be a log of people's working hours",
    "auth.logout": "ending one's own sessions changes no record of the archive",
    "reset.ask": "asking for a reset link changes no record; the message it queues stays in "
    "the mail log, and a log of every ask would keep addresses that have no account",
    "upload.photos": "the photo row itself records who uploaded it and when (uploaded_by, "
    "uploaded_at, batch), for the web form and the bulk import alike; an upload is the start "
    "of the record, reviewed and audited when a curator decides on it",
    "upload.preview": "a preview is a small JPEG made in a temporary folder for the person "
    "choosing files and sent back; nothing is stored and no record changes",
    "mail.preferences": "which mail an address receives is its owner's own choice, reached by "
    "the signed link in every message, not an account's action on the archive's records",
    "consent_link.respond": "the person's own answer, not an account's action; it is recorded "
    "as consent.recorded (and consent.withdrawn for what it supersedes) with no actor",
    "consent_link.withdraw": "the person's own withdrawal, recorded as consent.withdrawn with "
    "no actor",
    "downloads.add_to_basket_page": "a basket is its owner's own list of photos to download "
    "later; nothing leaves the archive and no record changes until it is downloaded, when each "
    "photo is audited as photo.downloaded",
    "downloads.remove_from_basket_page": "taking a photo out of one's own basket changes no "
    "record of the archive",
}


def test_every_post_route_is_an_audited_action_or_exempt(app):
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posting - set(ACTIONS) - set(EXEMPT) == set(), "list the new POST route above"
    assert (set(ACTIONS) | set(EXEMPT)) - posting == set(), "these routes no longer exist"
    assert set(ACTIONS) & set(EXEMPT) == set()


@pytest.fixture
def world(app, make_user, make_person, make_photo, make_exhibition):
    """A user of each role, a consenting person, two exhibited photos, a spare and a pending one."""
    users = {role.value: make_user(role) for role in Role}
    person = make_person("Grace Adeyemi", scopes=["internal", "exhibition", "web", "press"])
    photos = [make_photo(uploaded_by=users["contributor"], status="approved") for _ in range(3)]
    exhibition = make_exhibition(photos[:2])
    values = route_values(
        photo=photos[0], person=person, user=users["comms"], exhibition=exhibition
    )
    values.update(
        exhibition=exhibition,
        spare_id=photos[2].id,
        pending_id=make_photo(uploaded_by=users["contributor"]).id,
        department_id=terms(Vocabulary.DEPARTMENT)[0].id,
    )
    return users, values


def _events_after(last_id: int) -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
    return list(db.session.execute(query).scalars())


@pytest.mark.parametrize("endpoint", sorted(ACTIONS))
def test_each_action_writes_one_audit_event(app, world, endpoint):
    users, values = world
    role, arguments, data, action, arrange = ACTIONS[endpoint]
    if arrange:
        arrange(values)
    client = FreshGlobalsClient(app, app.response_class, use_cookies=True)
    client.post("/login", data={"email": users[role].email, "password": PASSWORD})
    with app.test_request_context():
        url = url_for(endpoint, **{name: values[key] for name, key in arguments.items()})
    before = db.session.execute(select(func.max(AuditEvent.id))).scalar() or 0
    response = client.post(url, data=data(values) if callable(data) else data)
    response.close()  # as a server does: a streamed zip's temporary file is closed with it
    assert response.status_code in (200, 302, 303), f"{endpoint}: {response.status_code}"
    assert _events_after(before) == [action]
