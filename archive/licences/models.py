"""The licence model."""

from collections import defaultdict
from datetime import date

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archive.extensions import db


class Licence(db.Model):
    """The terms under which a photo may be used, with the credit line it requires."""

    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    terms: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    credit_template: Mapped[str] = mapped_column(String(300), default="Photo: {photographer}")
    # The last day photos may be used under it (a rights holder's permission for a term);
    # None for a licence without end. consent.rules.allowed reads it.
    ends_on: Mapped[date | None]

    def __str__(self) -> str:
        return self.name

    def credit_line(self, photographer: str, institution: str) -> str:
        """Return the credit the licence asks for; unknown {placeholders} are left as typed."""
        values = defaultdict(str, photographer=photographer or "Unknown", institution=institution)
        try:
            return self.credit_template.format_map(values)
        except (ValueError, IndexError, AttributeError):
            return self.credit_template  # a template an admin mistyped still gives a credit
