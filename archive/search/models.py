"""The index change log every host follows, and where each host has got to in it."""

from datetime import datetime

from sqlalchemy import BigInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column

from archive.extensions import db


class IndexChange(db.Model):
    """A photo whose index entry must be rewritten (or removed) from the database's state.

    Append-only: each host applies the log past its own cursor and deletes nothing; rows
    go only when every live host has applied them (archive/search/log.py, prune).
    """

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the change must outlive a deleted photo, to remove its entry.
    photo_id: Mapped[int] = mapped_column(index=True)
    queued_at: Mapped[datetime] = mapped_column(server_default=func.now())


class IndexHost(db.Model):
    """A host's index, as it last reported: how far into the log it has applied changes.

    The host's own cursor lives in its index folder, committed with the index; this copy
    lags it a little and only holds back pruning, so a late report loses nothing.
    """

    __tablename__ = "index_hosts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # made with the index
    name: Mapped[str] = mapped_column(String(255))  # the machine and index folder, for people
    applied_through: Mapped[int] = mapped_column(BigInteger)
    reported_at: Mapped[datetime]


class IndexLogHorizon(db.Model):
    """The one row saying how far the log was pruned, and from when indexes must be rebuilt."""

    __tablename__ = "index_log_horizon"

    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)
    # Every host rebuilds an index last built before this change id: an erasure sets it,
    # as only a rebuild takes the erased words out of an index's files.
    rebuild_from: Mapped[int] = mapped_column(BigInteger, default=0)
