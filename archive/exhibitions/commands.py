"""`flask export-exhibition`: write an exhibition's static site, IIIF manifest or CSV to a file."""

from pathlib import Path

import click
from flask import Flask, current_app

from archive.exhibitions.exports import export_file, exported_items
from archive.exhibitions.services import exhibition_by_slug


def init_app(app: Flask) -> None:
    """Register the export command on the app."""
    app.cli.add_command(export_exhibition_command)


@click.command("export-exhibition")
@click.argument("slug")
@click.option("--format", "kind", type=click.Choice(["static", "iiif", "csv"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_exhibition_command(slug: str, kind: str, output: Path):
    """Export an exhibition: a static site (zip), a IIIF manifest (JSON) or a CSV of items."""
    exhibition = exhibition_by_slug(slug)
    if exhibition is None:
        raise click.ClickException(f"no exhibition has the address {slug!r}")
    output.write_bytes(export_file(exhibition, kind, current_app.config["INSTITUTION"]))
    click.echo(f"Wrote {output}: {len(exported_items(exhibition, kind))} items.")
