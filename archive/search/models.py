"""The queue of index changes, written in the same transaction as the data they follow."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import Mapped, mapped_column

from archive.extensions import db


class IndexChange(db.Model):
    """A photo whose index entry must be rewritten (or removed) from the database's state."""

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the change must outlive a deleted photo, to remove its entry.
    photo_id: Mapped[int] = mapped_column(index=True)
    queued_at: Mapped[datetime] = mapped_column(server_default=func.now())
