"""`flask reindex`: rebuild the search index from the database."""

import sys

import click
from flask import Flask

from archive.search.index import photos_to_index, reindex


def init_app(app: Flask) -> None:
    """Register the index command on the app."""
    app.cli.add_command(reindex_command)


@click.command("reindex")
def reindex_command():
    """Rebuild the search index from the database."""
    with click.progressbar(length=photos_to_index(), label="Indexing", file=sys.stderr) as bar:
        count = reindex(on_progress=bar.update)
    click.echo(f"Indexed {count} photos.")
