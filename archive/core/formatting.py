"""How dates read on pages and in messages: "3 November 2026", "3 November 2026, 09:15"."""

from datetime import date, datetime

from flask import Flask


def format_day(value: date) -> str:
    """Return the date as people write it, without a leading zero."""
    return f"{value.day} {value:%B %Y}"


def format_moment(value: datetime) -> str:
    """Return the date and time of day."""
    return f"{format_day(value)}, {value:%H:%M}"


def init_app(app: Flask) -> None:
    """Offer the formats to templates as the filters `day` and `moment`."""
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
