"""Flask extensions, created unbound here and bound to the app in create_app."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, decode_cookie, encode_cookie
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter SQLite tables in batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)


class RotatingKeyLoginManager(LoginManager):
    """Flask-Login's manager, accepting a remember-me cookie signed with a fallback key too.

    Flask-Login (0.6) checks that cookie against SECRET_KEY alone, and offers no other hook.
    """

    def _load_user_from_remember_cookie(self, cookie: str):
        for key in current_app.config["SECRET_KEY_FALLBACKS"] or []:
            user_id = decode_cookie(cookie, key=key)
            if user_id is not None:
                cookie = encode_cookie(user_id)  # signed again with the current key
                break
        return super()._load_user_from_remember_cookie(cookie)


login_manager = RotatingKeyLoginManager()
csrf = CSRFProtect()
# Limits are counted per client address; the storage is set by RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address)
