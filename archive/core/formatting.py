"""How dates read on pages and in messages: "3 November 2026", "3 November 2026, 09:15"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def format_day(value: date) -> str:
    """Return the date as people write it, without a leading zero."""
    return f"{value.day} {value:%B %Y}"


def format_moment(value: datetime) -> str:
    """Return the date and time of day."""
    return f"{format_day(value)}, {value:%H:%M}"


def camera_time(taken: datetime | None) -> datetime | None:
    """Return a camera's time with the offset of TIME_ZONE on that day.

    Cameras record the wall clock with no zone, and the archive's photos are taken where it
    is: Europe/London gives +01:00 in summer and +00:00 in winter.
    """
    if taken is None:
        return None
    return taken.replace(tzinfo=ZoneInfo(current_app.config["TIME_ZONE"]))


def init_app(app: Flask) -> None:
    """Offer the formats to templates as the filters `day` and `moment`."""
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
