"""Configuration: defaults here, then instance/config.py, then ARCHIVE_* variables."""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Config, Flask
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Settings an installation may override (see README, "Configuration")."""

    STORAGE = "local"
    # For S3-compatible stores (MinIO, Ceph…); None means AWS itself.
    S3_ENDPOINT_URL = None
    # Derivatives reach browsers through short-lived signed links to the store; set False
    # when browsers cannot reach the store, and the app streams them instead.
    S3_PRESIGNED = True
    S3_PRESIGNED_SECONDS = 300
    # Files larger than this are uploaded in parts of this size.
    S3_MULTIPART_MB = 16
    # Scanned negatives and medium-format originals (TIFF) reach 200 MB. Uploads are spooled
    # to disk as they arrive, so this costs disk space, not memory; the decoding limit is
    # MAX_IMAGE_PIXELS.
    MAX_UPLOAD_MB = 250
    # A multi-photo upload may carry several full-size files; each is still held to MAX_UPLOAD_MB.
    MAX_FILES_PER_UPLOAD = 12
    # Larger than any camera sold today, far below what would exhaust memory when decoded.
    MAX_IMAGE_PIXELS = 120_000_000
    # Memory one picture may take while it is decoded and its derivatives made, estimated
    # before decoding: a small PNG can declare 119 megapixels of RGBA (about 1 GB to process).
    # 1 GB fits every RGB picture within MAX_IMAGE_PIXELS, and 8 import workers plus the web
    # workers stay well inside a 24 GB machine; raise it only with the memory to match.
    DECODE_MEMORY_MB = 1024
    SQLITE_BUSY_TIMEOUT_MS = 15_000
    # PostgreSQL. Write transactions, on every host, take one lock in turn; a write waits at
    # most this long for it, then is refused with a page saying to try again (a write holds
    # it for milliseconds as a rule, so a longer wait means a writer that hangs).
    DATABASE_LOCK_TIMEOUT_SECONDS = 10
    # PostgreSQL ends a write transaction idle this long (its process hung, or its host cut
    # off), releasing the lock; shorter than the lock timeout, so the writes queued behind
    # a hung one go through instead of failing. A healthy write pauses between statements
    # only for a store's answer (storing again a file someone deleted meanwhile, deleting one).
    DATABASE_IDLE_TRANSACTION_TIMEOUT_SECONDS = 5
    # Values never appear in SQL errors or logs: a failed statement may carry EDI answers.
    SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}  # noqa: RUF012 - read, never changed
    # check --repair removes an unreferenced stored file, a half-written one or a working
    # folder only once it is this old: uploads and imports, on any host, store their files
    # before committing the rows that refer to them, and work in UPLOAD_TMP_PATH meanwhile.
    # Far longer than any ingest takes; set it lower only while nothing is being uploaded.
    ORPHAN_GRACE_HOURS = 24
    # /healthz reports this host's search index "behind" when a change it has not applied
    # is older than this.
    INDEX_MAX_LAG_SECONDS = 300
    # Each host's index follows the database's change log: told of changes by PostgreSQL as
    # they commit, and looking anyway this often (on SQLite, the only way).
    INDEX_FOLLOW = True
    INDEX_POLL_SECONDS = 5
    # How often a host tells the database how far it has got; that only holds back pruning.
    INDEX_REPORT_SECONDS = 30
    # Changes every host has applied are pruned once this old. A host that stays away
    # longer (or a new one) rebuilds its index from the database when it starts.
    INDEX_LOG_RETENTION_HOURS = 24 * 7
    SAMPLES_PATH = str(PROJECT_ROOT.parent / "shared" / "samples" / "camera")
    INSTITUTION = "University Technical Services"
    # The page of each wall label in a physical exhibition's print pack: "A6", "A5" or a
    # size in millimetres, width x height, such as "105x148" (exhibitions.print_pdfs).
    PRINT_LABEL_SIZE = "A6"
    # The languages a photo's or an exhibition's texts can be marked as written in (BCP 47
    # tags, with their names in English, the archive's language); IIIF manifests tag each
    # text with it, and "" (not set) becomes "none".
    TEXT_LANGUAGES = (
        ("en", "English"),
        ("cy", "Welsh"),
        ("fr", "French"),
        ("de", "German"),
        ("es", "Spanish"),
        ("it", "Italian"),
        ("pl", "Polish"),
        ("ar", "Arabic"),
        ("zh", "Chinese"),
        ("hi", "Hindi"),
        ("ur", "Urdu"),
    )
    # The address the archive is reached at: every absolute link (a gallery's og:image, a
    # IIIF manifest, an export, a secret link) is made from it, never from a request's Host.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # Cameras record local wall-clock time with no zone; the API gives such times this zone's
    # offset (an IANA name). Times the archive records itself are UTC.
    TIME_ZONE = "Europe/London"
    # Behind a reverse proxy, the keyword arguments of Werkzeug's ProxyFix, e.g.
    # {"x_for": 1, "x_proto": 1}: how many proxies' X-Forwarded-* headers to trust. None
    # trusts none, since anyone can send them to an archive that is reached directly.
    PROXY_FIX = None
    # The accessibility statement (/accessibility): where people report a problem or ask for
    # another format (an e-mail address, or None for the wording that sends them to the
    # service desk), and the day it was last reviewed against the tests (ISO date).
    ACCESSIBILITY_CONTACT = None
    ACCESSIBILITY_REVIEWED = "2026-12-03"
    # How long a personal consent link works, and how long consent given through it lasts.
    CONSENT_LINK_DAYS = 180
    CONSENT_VALID_YEARS = 3
    # A person asked for consent by e-mail who has not answered through their link after
    # this many days gets one reminder (from the daily `flask notify`).
    CONSENT_REQUEST_REMINDER_DAYS = 7
    # A consent a parent or guardian gave for a child still counts for this many days after
    # the child's 18th birthday; then it lapses unless they confirmed it themselves.
    CONSENT_ADULT_GRACE_DAYS = 90
    # What published captions, titles and alt text say in place of the name of someone under 18.
    MINOR_PUBLIC_WORDING = "a young participant"
    # A consent form is a page or two; 50 leaves room for a scanned bundle (form, information
    # sheet, a guardian's letter) and refuses files that are not consent forms at all.
    CONSENT_PDF_MAX_PAGES = 50
    # What a consent-form PDF may expand to in a reader. A 50-page A4 greyscale scan at
    # 300 dpi, stored losslessly, is about 440 MB; colour scans come as JPEG, counted as stored.
    CONSENT_PDF_MAX_DECODED_MB = 512
    # An exhibition's introduction (Markdown) is formatted once, when it is saved, in time
    # that grows in step with its length; 20,000 characters is some 3,000 words.
    INTRODUCTION_MAX_CHARS = 20_000
    # Werkzeug's memory-hard default; the tests choose a cheap method to stay fast.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method name, not a password

    # Mail goes out through this SMTP server (None: messages are queued and wait), from this
    # address ("Technicians' Archive <archive@example.ac.uk>"). MAIL_SECURITY is "starttls"
    # (port 587), "ssl" (port 465) or "none" (a relay on the same host or network only).
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_SECURITY = "starttls"
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = None
    # Failed tries wait 1, 2, 4 … minutes (at most 6 hours) between them: ten tries span
    # about eight and a half hours before a message is given up on.
    MAIL_MAX_ATTEMPTS = 10
    # How often `send-mail --watch` looks for messages that are due.
    MAIL_POLL_SECONDS = 10
    # Single sign-on through the institution's OpenID Connect provider (README, "Single
    # sign-on"): its issuer URL (the provider is found at <issuer>/.well-known/openid-
    # configuration, on the first sign-in, never at start-up) and the client id and secret
    # it gave the archive. All three set, the login page offers the button; None: no SSO.
    OIDC_ISSUER = None
    OIDC_CLIENT_ID = None
    OIDC_CLIENT_SECRET = None
    # The button says "Sign in with <OIDC_NAME>", e.g. "University Account".
    OIDC_NAME = "your institution's account"
    # The ID token claim listing the person's groups, and which group values give which role
    # (e.g. {"archive-curators": "curator"}; the first one the person is in wins). Without a
    # matching group, an account made by sign-on is a contributor.
    OIDC_GROUPS_CLAIM = "groups"
    OIDC_ROLE_MAPPING = {}  # noqa: RUF012 - read, never changed
    # False: once an admin gives someone a role in the archive, sign-ins leave it alone.
    # True: the provider's groups win at every sign-in, for the roles the mapping names.
    OIDC_ROLE_MAPPING_OVERRIDES_ADMIN = False

    RATELIMIT_ENABLED = True
    # Counted in the process's memory: right for one process (flask run). Several workers or
    # hosts must share a store, redis://HOST:6379, or each counts alone and lets its own
    # quota of guesses through; gunicorn.conf.py refuses several workers on memory://.
    RATELIMIT_STORAGE_URI = "memory://"
    # Password attempts per client address, the login and password-change forms together.
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    # Password attempts per account, from any addresses; a right password clears the count.
    # A botnet's many addresses each stay under LOGIN_RATE_LIMIT; this caps what they get.
    ACCOUNT_RATE_LIMIT = "10 per 15 minutes"
    # Password reset links asked for per client address, and per e-mail address from any
    # client addresses: nobody can fill someone's inbox with them.
    RESET_RATE_LIMIT = "5 per minute; 20 per hour"
    RESET_ADDRESS_RATE_LIMIT = "3 per hour"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # "Keep me logged in" lasts two weeks, not Flask-Login's year: a cookie left on a shared
    # or lost device stops working soon even if nobody logs out. An override is in seconds.
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"


def instance_path() -> Path:
    """Return the instance folder: ARCHIVE_INSTANCE_PATH, else the repository's instance/."""
    return Path(os.environ.get("ARCHIVE_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()


def load_config(app: Flask, overrides: dict | None) -> None:
    """Fill app.config from defaults, instance/config.py, ARCHIVE_* variables and overrides."""
    _read_settings(app.config, overrides)
    instance = Path(app.instance_path)
    app.config.setdefault("DATABASE_URL", f"sqlite:///{instance / 'archive.sqlite3'}")
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("MEDIA_PATH", str(instance / "media"))
    app.config.setdefault("UPLOAD_TMP_PATH", str(instance / "tmp"))
    app.config.setdefault("INDEX_PATH", str(instance / "index"))
    app.config["MAX_CONTENT_LENGTH"] = (
        app.config["MAX_UPLOAD_MB"] * app.config["MAX_FILES_PER_UPLOAD"] * 1024 * 1024
    )
    check_secret_keys(app.config)
    check_time_zone(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(instance / "secret_key")
    # Flask checks sessions against the fallbacks itself; Flask-WTF (1.3) reads one key, but
    # itsdangerous takes a list, signing with the last and accepting any.
    app.config["WTF_CSRF_SECRET_KEY"] = signing_keys(app.config)


def signing_keys(config: Config) -> list[str | bytes]:
    """Return the keys a signature may be made with: SECRET_KEY_FALLBACKS, then SECRET_KEY.

    In itsdangerous' order: a serializer given this list signs with the last, the current
    key, and accepts a signature made with any of them.
    """
    return [*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]]


def check_time_zone(config: Config) -> None:
    """Raise RuntimeError if TIME_ZONE names no time zone this machine knows."""
    try:
        ZoneInfo(config["TIME_ZONE"])
    except (ValueError, ZoneInfoNotFoundError):
        raise RuntimeError(
            f"ARCHIVE_TIME_ZONE={config['TIME_ZONE']} is not a time zone name this machine "
            "knows: use an IANA name such as Europe/London"
        ) from None


def check_secret_keys(config: Config) -> None:
    """Raise RuntimeError for keys that cannot be used, or none where hosts must share one.

    A shared database (PostgreSQL) is what lets several hosts serve one archive, and a
    session, a form or a consent link signed on one is refused by another with another key.
    """
    key = config.get("SECRET_KEY")
    fallbacks = config.get("SECRET_KEY_FALLBACKS") or []
    # A lone string would be taken as a list of one-letter keys, each easy to forge with.
    if not isinstance(fallbacks, list) or not all(_usable_key(k) for k in fallbacks):
        raise RuntimeError(
            "ARCHIVE_SECRET_KEY_FALLBACKS must be a JSON list of the earlier keys, "
            'e.g. ["the old key"]'
        )
    if key and not _usable_key(key):
        raise RuntimeError(
            "SECRET_KEY must be text: a value of ARCHIVE_SECRET_KEY that reads as a number or "
            "as JSON needs double quotes, e.g. ARCHIVE_SECRET_KEY='\"1234…\"'"
        )
    database = config.get("DATABASE_URL") or "sqlite://"
    if not key and make_url(database).get_backend_name() != "sqlite":
        raise RuntimeError(
            "ARCHIVE_SECRET_KEY is not set: on a shared database the archive may run on several "
            "hosts, and every host must sign sessions, forms and consent links with the same "
            "key, or each refuses what the others signed. Set ARCHIVE_SECRET_KEY (or SECRET_KEY "
            "in instance/config.py) to the same random value on every host, e.g. the output "
            "of: python -c 'import secrets; print(secrets.token_hex(32))'"
        )


def _usable_key(key: object) -> bool:
    """Return whether the value can be a signing key: non-empty text or bytes."""
    return isinstance(key, str | bytes) and len(key) > 0


def _read_settings(config: Config, overrides: dict | None) -> None:
    """Fill config from defaults, config.py in its root (the instance), ARCHIVE_*, overrides."""
    config.from_object(Defaults)
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env("ARCHIVE")
    config.update(overrides or {})


def settings_without_app() -> Config:
    """Return the settings as the app will read them, for gunicorn's master, which has none."""
    config = Config(str(instance_path()))
    _read_settings(config, None)
    return config


def check_workers_share_rate_limits(workers: int) -> None:
    """Raise RuntimeError if several workers would each count rate limits on their own.

    For gunicorn's master (gunicorn.conf.py), which reads the settings without an app.
    """
    config = settings_without_app()
    per_process = config["RATELIMIT_STORAGE_URI"].startswith("memory://")
    if workers > 1 and config["RATELIMIT_ENABLED"] and per_process:
        raise RuntimeError(
            f"{workers} workers would each count login attempts on their own "
            f"(ARCHIVE_RATELIMIT_STORAGE_URI is {config['RATELIMIT_STORAGE_URI']}), letting "
            f"{workers} times as many wrong passwords through: set "
            "ARCHIVE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (a Redis every worker and "
            "host reaches), or run one worker (--workers 1)"
        )


def save_instance_setting(app: Flask, name: str, value: str) -> bool:
    """Write NAME = value into instance/config.py, replacing any earlier line for it.

    Return False when ARCHIVE_<NAME> is set in the environment: that still wins.
    """
    path = Path(app.instance_path) / "config.py"
    lines = path.read_text().splitlines() if path.exists() else []
    lines = [line for line in lines if not re.match(rf"{name}\s*=", line)]
    lines.append(f"{name} = {value!r}")
    path.write_text("\n".join(lines) + "\n")
    return f"ARCHIVE_{name}" not in os.environ


def _instance_secret_key(path: Path) -> str:
    """Read the installation's secret key, creating it on first run."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        # Created 0600 rather than chmod'ed after writing: the key is never readable by others.
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as key:
            key.write(secrets.token_hex(32))
        try:
            # link() fails if the key exists: when several gunicorn workers start together,
            # exactly one key wins and every worker reads that one, complete.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
