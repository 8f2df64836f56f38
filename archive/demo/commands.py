"""`flask demo`: make the instance ready, then load the demo collection into it."""

import click
from flask import Flask

from archive.demo.loader import load_demo
from archive.operations.initialise import initialise


def init_app(app: Flask) -> None:
    """Register the demo command on the app."""
    app.cli.add_command(demo_command)


@click.command("demo")
@click.option(
    "--photos",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="How many generated photos to add (the camera samples come on top).",
)
def demo_command(photos: int):
    """Load the demo collection: people, consent forms, photos, and the demo logins."""
    initialise()
    load_demo(echo=click.echo, photo_count=photos)
