"""Fixtures: each test gets its own app, with instance, database and media under tmp_path."""

import io
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import boto3
import pytest
from flask import current_app, g
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session

from archive import create_app
from archive.auth.models import Role, User
from archive.auth.services import create_user
from archive.consent.intake import check_consent_file, record_consent, store_consent_forms
from archive.consent.models import ConsentScope
from archive.demo.pictures import make_scene, save_photo
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.operations.initialise import initialise
from archive.people.models import Person
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import Photo
from archive.storage import LocalStorage
from tests.postgres import TemporaryServer, free_port
from tests.redis_server import TemporaryRedis

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples" / "camera"
PASSWORD = "correct horse battery"


def app_config(instance: Path) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Tests log in hundreds of times from 127.0.0.1; the limit has its own test.
        "RATELIMIT_ENABLED": False,
        "SAMPLES_PATH": str(SAMPLES),
    }


# The databases the suite runs on; ARCHIVE_TEST_DATABASES=sqlite skips PostgreSQL.
DATABASES = os.environ.get("ARCHIVE_TEST_DATABASES", "sqlite,postgresql").split(",")
# Test folders and modules that run on every database above; the others on SQLite only.
ON_EVERY_DATABASE = {
    "auth",
    "consent",
    "downloads",
    "exhibitions",
    "operations",
    "people",
    "photos/test_review.py",
    "reports",
    "search",
}
POSTGRES_TEMPLATE = "archive_template"
_database_numbers = itertools.count(1)


def pytest_generate_tests(metafunc):
    if "database" in metafunc.fixturenames:
        module = Path(metafunc.definition.path).relative_to(ROOT / "tests")
        if {module.parts[0], module.as_posix()} & ON_EVERY_DATABASE:
            metafunc.parametrize("database", DATABASES, indirect=True)


def _initialise(url: str, instance: Path) -> None:
    app = create_app({**app_config(instance), "DATABASE_URL": url})
    with app.app_context():
        initialise()
        db.session.remove()
        db.engine.dispose()  # for SQLite, closing the last connection checkpoints the WAL


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """Run the migrations and seed vocabularies once; each test gets a copy of the file."""
    instance = tmp_path_factory.mktemp("template-instance")
    _initialise(f"sqlite:///{instance / 'archive.sqlite3'}", instance)
    return instance / "archive.sqlite3"


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    """Start moto's S3 server on a free 127.0.0.1 port for the session; return its URL.

    Started on first use (moto is slow to import), stopped when the session ends.

    boto3 talks HTTP to it exactly as to a real store; the fake credentials are set in the
    environment, where boto3 looks for real ones.
    """
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            patch.setenv(name, "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            patch.delenv(name, raising=False)
        server.start()
        yield f"http://127.0.0.1:{port}"
        server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint) -> str:
    """Create an empty bucket of the test's own; return its STORAGE setting, s3://…/prefix."""
    name = f"archive-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return f"s3://{name}/media"


@pytest.fixture
def storage_setting(request) -> str:
    """Where the app fixture keeps files: local, or a new bucket when parametrised with "s3"."""
    if getattr(request, "param", "local") == "local":
        return "local"
    return request.getfixturevalue("s3_bucket")


# Run a test once on local files and once on S3 through the moto server on 127.0.0.1.
ON_BOTH_STORAGES = pytest.mark.parametrize("storage_setting", ["local", "s3"], indirect=True)


@contextmanager
def running(server, name: str, remedy: str):
    """Start a throw-away server for the session and stop it at the end.

    If it cannot start, fail saying so and what to do (`remedy`).
    """
    try:
        server.start()
    except (OSError, LookupError, RuntimeError) as error:
        server.stop()
        pytest.fail(f"{name} could not start ({error}); {remedy}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """Start a PostgreSQL server for the session, with a migrated template database."""
    remedy = "./scripts/test installs it, or set ARCHIVE_TEST_DATABASES=sqlite"
    with running(TemporaryServer(), "PostgreSQL", remedy) as server:
        server.execute(f"CREATE DATABASE {POSTGRES_TEMPLATE}")
        _initialise(server.url(POSTGRES_TEMPLATE), tmp_path_factory.mktemp("pg-template-instance"))
        yield server


@pytest.fixture(scope="session")
def redis_server():
    """Start a Redis server for the session, on first use; it stops when the session ends."""
    remedy = "./scripts/test installs Debian's redis-server"
    with running(TemporaryRedis(), "Redis", remedy) as server:
        yield server


@pytest.fixture
def redis_url(redis_server) -> str:
    """Return the URL of the session's Redis, emptied for this test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def database(request, tmp_path):
    """Return the URL of a fresh migrated database: SQLite unless parametrised otherwise."""
    if getattr(request, "param", "sqlite") == "sqlite":
        path = tmp_path / "instance" / "archive.sqlite3"
        path.parent.mkdir(exist_ok=True)
        shutil.copy(request.getfixturevalue("migrated_database"), path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres")
    with server.database(f"test_{next(_database_numbers)}", POSTGRES_TEMPLATE) as url:
        yield url


@pytest.fixture
def app(request, tmp_path, database, storage_setting):
    """Return an app on a fresh copy of the migrated database, storing files as configured."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    config = {**app_config(instance), "DATABASE_URL": database}
    if storage_setting != "local":
        endpoint = request.getfixturevalue("s3_endpoint")
        config.update(STORAGE=storage_setting, S3_ENDPOINT_URL=endpoint)
    app = create_app(config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def gunicorn_command(app, port: int, workers: int, settings: dict | None = None):
    """Return the command and environment that serve the test app with gunicorn.conf.py.

    `settings` are ARCHIVE_* values for the server (non-strings written as JSON). Rate
    limits are off unless a setting turns them on: the tests log in many times from
    127.0.0.1, and the limits have their own tests.
    """
    environment = {
        **os.environ,
        "ARCHIVE_INSTANCE_PATH": app.instance_path,
        "ARCHIVE_DATABASE_URL": app.config["DATABASE_URL"],
        "ARCHIVE_WTF_CSRF_ENABLED": "false",
        "ARCHIVE_PASSWORD_HASH_METHOD": '"pbkdf2:sha256:1000"',
        "ARCHIVE_RATELIMIT_ENABLED": "false",
    }
    for name, value in (settings or {}).items():
        environment[f"ARCHIVE_{name}"] = value if isinstance(value, str) else json.dumps(value)
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    return command, environment


@pytest.fixture
def gunicorn_server(app, tmp_path):
    """Serve the test instance with gunicorn.conf.py and two workers on 127.0.0.1.

    gunicorn_server() starts one and returns its base URL (gunicorn_server(workers=1) for
    one worker; `settings` as for gunicorn_command, `options` added to gunicorn's command
    line); it stops at the end of the test. Its output (the JSON log lines) is in
    tmp_path / "gunicorn.log".
    """
    servers = []

    def start(workers: int = 2, settings: dict | None = None, options: tuple = ()) -> str:
        port = free_port()
        command, environment = gunicorn_command(app, port, workers, settings)
        log = tmp_path / "gunicorn.log"
        with open(log, "ab") as output:
            server = subprocess.Popen(
                [*command, *options],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                return base
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")

    yield start
    for server in servers:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    The tests hold an app context so they can use the database directly, and Flask runs
    requests inside it; without this, `g` (and the user Flask-Login caches there) would
    carry over from one request to the next, which never happens in production.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshGlobalsClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def samples() -> Path:
    """Return the real camera files in ../shared/samples/camera, or skip saying why."""
    if not SAMPLES.is_dir():
        pytest.skip(f"camera samples not found at {SAMPLES} (shared/ must sit beside the repo)")
    return SAMPLES


@pytest.fixture
def make_user(app):
    """Create a user with a role: make_user("curator") or make_user(Role.ADMIN, email=…)."""
    counter = iter(range(1, 1000))

    def make(role, email: str | None = None, name: str = "") -> User:
        email = email or f"{Role(role).value}{next(counter)}@example.org"
        return create_user(email, PASSWORD, Role(role), name or email.split("@")[0].title())

    return make


@pytest.fixture
def login(client):
    """Log a user in through the real login form."""

    def log_in(user: User):
        with client.session_transaction() as session:
            session.clear()  # whoever was logged in before is gone
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return log_in


@pytest.fixture
def login_as(make_user, login):
    """Create a user with the role and log them in: login_as("comms")."""
    return lambda role: login(make_user(role))


@pytest.fixture
def picture(tmp_path):
    """Write a photo-like JPEG and return its path: picture(seed=3, size=(800, 600), …)."""
    counter = iter(range(10_000))

    def write(seed: int | None = None, size=(640, 480), **exif) -> Path:
        seed = next(counter) if seed is None else seed
        path = tmp_path / f"picture-{seed}-{next(counter)}.jpg"
        return save_photo(make_scene(*size, seed=seed), path, **exif)

    return write


@pytest.fixture
def make_person(app):
    """Create a person, optionally with a recorded consent form granting scopes."""

    def make(name="Priya Raman", scopes=(), expires_on=None, signed_on=None) -> Person:
        person = Person(name=name)
        db.session.add(person)
        db.session.commit()
        if scopes:
            grant_consent(person, scopes, expires_on=expires_on, signed_on=signed_on)
        return person

    return make


def grant_consent(person, scopes, *, expires_on=None, signed_on=None):
    """Store a small PDF consent form for the person and record the scopes it grants."""
    path = Path(current_app.instance_path) / f"consent-{person.id}-{len(person.consent_forms)}.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, "PDF")
    # Distinct bytes per form, so each is its own stored file.
    path.write_bytes(
        buffer.getvalue().replace(b"%%EOF", f"%{person.id}-{path.name}\n%%EOF".encode())
    )
    [form] = store_consent_forms(
        [check_consent_file(path, path.name)], uploaded_by=None, batch_id=None
    )
    curator = db.session.execute(db.select(User).filter_by(role=Role.CURATOR)).scalars().first()
    return record_consent(
        form,
        person=person,
        scopes={ConsentScope(s) for s in scopes},
        signed_on=signed_on or date(2025, 1, 1),
        expires_on=expires_on,
        recorded_by=curator,
    )


@pytest.fixture
def make_photo(app, picture):
    """Ingest a generated photo through the real pipeline and return it.

    size=(3000, 2000) gives each derivative its own size (a 640 px photo's display and
    large are the same file).
    """

    def make(
        uploaded_by=None, people=(), licence="INST-USE", status=None, size=(640, 480), **details
    ) -> Photo:
        details.setdefault("title", "Calibrating the spectrometer")
        details.setdefault("alt_text", "A technician at an instrument")
        details.setdefault("no_identifiable_people", not people)
        outcome = ingest_file(
            picture(size=size),
            PhotoDetails(
                licence_id=licence_by_code(licence).id if licence else None,
                people=list(people),
                **details,
            ),
            original_filename="IMG_0001.JPG",
            uploaded_by=uploaded_by,
        )
        photo = outcome.photo
        if status is not None:
            photo.status = status
            db.session.commit()
        return photo

    return make


def stored_files(app) -> list[str]:
    """Return every stored key, to prove nothing was left behind.

    In a media folder, files still being written count too: they must not be left either.
    """
    storage = app.extensions["archive_storage"]
    if not isinstance(storage, LocalStorage):
        return sorted(found.key for found in storage.stored_objects())
    media = Path(app.config["MEDIA_PATH"])
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def row_counts() -> dict[str, int]:
    """Return how many photos, derivatives and consent forms the database holds."""
    from archive.consent.models import ConsentForm
    from archive.photos.models import Derivative

    return {
        model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()
        for model in (Photo, Derivative, ConsentForm)
    }


@contextmanager
def failing_commit():
    """Make the next commit fail, as a database that went away in the middle would."""
    failed = []

    def refuse(_session):
        if not failed:
            failed.append(True)
            raise RuntimeError("the database went away")

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)
    assert failed, "no commit was attempted"


def fetch_image(client, url: str) -> tuple[int, int | None]:
    """GET an image: return the status and the long edge of the picture sent (None if none)."""
    with client.get(url) as response:
        if response.status_code != 200:
            return response.status_code, None
        with Image.open(io.BytesIO(response.get_data())) as image:
            return 200, max(image.size)


def exported_files(response) -> list[bytes] | None:
    """Return what an export hands out (a zip's files, else the body); None if not an export.

    An export is whatever a route sends as an attachment: a kiosk site, a CSV, a report.
    """
    if not response.headers.get("Content-Disposition", "").startswith("attachment"):
        return None
    data = response.get_data()
    if response.mimetype != "application/zip":
        return [data]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(name) for name in archive.namelist()]


def derivative_urls(html: str) -> list[str]:
    """Return the derivative URLs in a page."""
    return sorted(set(re.findall(r"/media/[0-9a-f]{64}\.jpg", html)))


def route_values(*, photo, person, user, exhibition) -> dict:
    """Return a value for every route argument, from one photo, person, user and exhibition."""
    from archive.consent.link import issue_link

    return {
        "photo_id": photo.id,
        "person_id": person.id,
        "form_id": person.consent_forms[0].id,
        "user_id": user.id,
        "licence_id": photo.licence_id,
        "exhibition_id": exhibition.id,
        "item_id": exhibition.items[0].id,
        "slug": exhibition.slug,
        "sha256": photo.derivative("thumb").sha256,
        "token": issue_link(person, user),
        "filename": "archive.css",
    }


def get_urls(app, **values) -> list[str]:
    """Return a URL for every GET route, filling its arguments from `values` (lists allowed).

    Routes taken from app.url_map, so a new route is covered the day it is added; a route
    with an argument not given in `values` is reported, so it cannot be skipped silently.
    """
    import itertools

    from flask import url_for

    urls, missing = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        if any(name not in values for name in names):
            missing.append(rule.rule)
            continue
        choices = [v if isinstance(v, list) else [v] for v in (values[n] for n in names)]
        with app.test_request_context():
            for combination in itertools.product(*choices):
                urls.append(url_for(rule.endpoint, **dict(zip(names, combination, strict=True))))
    assert not missing, f"give values for the arguments of {missing}"
    return sorted(set(urls))


@pytest.fixture
def consented_photo(make_user, make_photo, make_person):
    """An approved photo of a person whose consent covers every use."""
    make_user("curator")
    person = make_person("Mei Lin", scopes=[s.value for s in ConsentScope])
    return make_photo(
        uploaded_by=make_user("contributor"),
        people=[person],
        status="approved",
        title="Inside the cleanroom",
    )


@pytest.fixture
def make_exhibition(make_user):
    """Create a published exhibition of the given photos: make_exhibition([photo], …).

    Other keywords (use, smart_rule, about_identity, summary) go to create_exhibition. The
    default title is about no one's identity: one naming an EDI answer needs its own opt-in.
    """
    from archive.exhibitions.models import ExhibitionStatus, Visibility
    from archive.exhibitions.services import add_photos, create_exhibition

    def make(
        photos, title="Behind the bench", visibility=Visibility.PUBLIC, published=True, **details
    ):
        details = {"summary": "Technicians at work.", **details}
        exhibition = create_exhibition(
            title=title,
            body="*Introduction*",
            visibility=visibility,
            by=make_user("curator"),
            **details,
        )
        add_photos(exhibition, [photo.id for photo in photos])
        if published:
            exhibition.status = ExhibitionStatus.PUBLISHED
            db.session.commit()
        return exhibition

    return make


@pytest.fixture
def exhibit_photos(make_user, make_person, make_photo):
    """Three approved photos cleared for the web, one of a person who consented."""
    make_user("curator")
    person = make_person("Grace Adeyemi", scopes=["web", "internal"])
    return [
        make_photo(title="Glassblowing", alt_text="Hands shape glowing glass", status="approved"),
        make_photo(title="Lathe work", alt_text="A brass rod on a lathe", status="approved"),
        make_photo(
            title="Field kit", alt_text="Instruments on a floor", status="approved", people=[person]
        ),
    ]
