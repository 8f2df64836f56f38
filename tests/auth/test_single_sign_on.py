"""Single sign-on's rules without the browser: require-SSO, linking, roles from groups.

The sign-in itself, through a real provider, is tests/e2e/test_single_sign_on.py.
"""

import pytest
from sqlalchemy import select

from archive import create_app
from archive.auth.models import Role, User
from archive.auth.services import AccountError, update_user
from archive.auth.sso import account_for_claims
from archive.core.audit import AuditEvent
from archive.extensions import db
from tests.fixtures.app import PASSWORD, app_config

# Nothing listens here: a sign-on set up with it must cost no network call until a sign-in.
ISSUER = "http://127.0.0.1:9"


@pytest.fixture
def sso(app):
    app.config.update(
        OIDC_ISSUER=ISSUER,
        OIDC_CLIENT_ID="archive",
        OIDC_CLIENT_SECRET="client-secret",
        OIDC_NAME="University Account",
        OIDC_ROLE_MAPPING={"archive-curators": "curator"},
    )
    return app


def claims(login: str, **more) -> dict:
    return {
        "sub": f"sub-{login}",
        "name": login.title(),
        "email": f"{login}@example.org",
        "email_verified": True,
        "groups": [],
        **more,
    }


def test_required_sso_refuses_a_contributors_password_but_lets_an_admin_in(
    sso, client, make_user, login
):
    admin, contributor = make_user("admin"), make_user("contributor")
    login(admin)
    assert client.post("/admin/users/sign-in", data={"required": "y"}).status_code == 302
    client.post("/logout")

    refused = client.post("/login", data={"email": contributor.email, "password": PASSWORD})
    assert refused.status_code == 401
    page = refused.get_data(as_text=True)
    assert "Everyone else signs in with the “Sign in with University Account” button" in page
    assert client.get("/upload").status_code == 302  # still not logged in

    assert login(admin) == admin
    assert client.get("/admin/users").status_code == 200
    events = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "site.sso_required" in events


def test_without_the_requirement_a_contributors_password_still_works(sso, make_user, login):
    login(make_user("contributor"))


def test_the_login_page_offers_the_button_with_no_call_to_the_provider(tmp_path, database):
    config = {**app_config(tmp_path), "DATABASE_URL": database, "OIDC_ISSUER": ISSUER}
    app = create_app({**config, "OIDC_CLIENT_ID": "archive", "OIDC_CLIENT_SECRET": "s"})
    page = app.test_client().get("/login").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()  # this second app's connections closed, not left to the collector
    assert "Sign in with your institution&#39;s account" in page


def test_a_role_mapping_to_no_role_stops_the_app_starting(tmp_path, database):
    config = {**app_config(tmp_path), "DATABASE_URL": database}
    with pytest.raises(RuntimeError, match="ARCHIVE_OIDC_ROLE_MAPPING"):
        create_app({**config, "OIDC_ROLE_MAPPING": {"archive-curators": "boss"}})


def test_a_verified_address_links_the_local_account(sso, make_user):
    local = make_user("comms", email="ana@example.org")
    user = account_for_claims(ISSUER, claims("ana", name="Ana Mendes"))
    assert (user.id, user.oidc_subject, user.role, user.name) == (
        local.id,
        "sub-ana",
        Role.COMMS,
        "Ana Mendes",
    )
    assert user.check_password(PASSWORD)  # the break-glass password stays


def test_an_unverified_address_takes_over_no_account(sso, make_user):
    local = make_user("curator", email="ana@example.org")
    with pytest.raises(AccountError, match="could not confirm it is yours"):
        account_for_claims(ISSUER, claims("ana", email_verified=False))
    db.session.refresh(local)
    assert local.oidc_subject is None


def test_later_sign_ins_find_the_account_by_subject_and_update_it(sso):
    first = account_for_claims(ISSUER, claims("bo"))
    again = account_for_claims(ISSUER, claims("bo", email="bo.new@example.org", name="Bo Ng"))
    assert (again.id, again.email, again.name) == (first.id, "bo.new@example.org", "Bo Ng")
    assert not again.has_password


def test_groups_give_a_role_until_an_admin_sets_one(sso, make_user):
    curator = account_for_claims(ISSUER, claims("cy", groups=["archive-curators"]))
    assert curator.role == Role.CURATOR
    assert account_for_claims(ISSUER, claims("cy")).role == Role.CONTRIBUTOR  # left the group
    update_user(curator, role=Role.COMMS, active=True, by=make_user("admin"))
    again = account_for_claims(ISSUER, claims("cy", groups=["archive-curators"]))
    assert again.role == Role.COMMS


def test_the_mapping_can_be_told_to_override_an_admins_choice(sso, make_user):
    sso.config["OIDC_ROLE_MAPPING_OVERRIDES_ADMIN"] = True
    user = account_for_claims(ISSUER, claims("di"))
    update_user(user, role=Role.COMMS, active=True, by=make_user("admin"))
    assert account_for_claims(ISSUER, claims("di", groups=["archive-curators"])).role == (
        Role.CURATOR
    )


def test_a_disabled_account_is_refused(sso, make_user):
    user = account_for_claims(ISSUER, claims("ed"))
    update_user(user, role=user.role, active=False, by=make_user("admin"))
    with pytest.raises(AccountError, match="disabled"):
        account_for_claims(ISSUER, claims("ed"))


def test_account_creation_and_linking_are_audited(sso, make_user):
    make_user("contributor", email="fay@example.org")
    account_for_claims(ISSUER, claims("fay"))
    account_for_claims(ISSUER, claims("gus"))
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert {"user.linked_by_sso", "user.created_by_sso"} <= set(actions)


def test_someone_without_a_password_is_told_to_change_it_at_the_institution(
    sso, client, monkeypatch
):
    user = account_for_claims(ISSUER, claims("hal"))
    # Opened as the callback would, without the provider; the browser test signs in for real.
    monkeypatch.setattr(sso.login_manager, "session_protection", None)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    page = client.get("/account/password")
    assert page.status_code == 200
    assert "change it where your institution" in page.get_data(as_text=True)
    assert db.session.execute(select(User.password_hash).where(User.id == user.id)).scalar() == ""
