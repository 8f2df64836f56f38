"""`flask import`: ingest files or folders through the upload pipeline, many at a time;
`flask faces --unchecked`: run the face check on photos stored before it."""

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app

from archive.licences.services import licence_by_code
from archive.logs import logged_to_file
from archive.photos.bulk import (
    ManifestError,
    collect_files,
    import_files,
    read_manifest,
    summarise,
)
from archive.photos.face_check import check_unchecked, unchecked_photos


def init_app(app: Flask) -> None:
    """Register the import and faces commands on the app."""
    app.cli.add_command(import_command)
    app.cli.add_command(faces_command)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of titles, captions, credits, licences and people per file name.",
)
@click.option("--licence", "licence_code", help="Licence code for files the manifest leaves open.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="number of cores",
    help="Processes decoding images in parallel.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report listing every file and what became of it.",
)
def import_command(paths, manifest, licence_code, workers, report):
    """Ingest files or folders through the same pipeline as the upload form."""
    licence = None
    if licence_code:
        licence = licence_by_code(licence_code)
        if licence is None:
            raise click.BadParameter(
                f"no licence has the code {licence_code!r}", param_hint="--licence"
            )
    try:
        rows = read_manifest(manifest) if manifest else {}
    except ManifestError as error:
        raise click.ClickException(str(error)) from None
    files = collect_files(paths)
    started = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    log_file = Path(current_app.instance_path) / "logs" / f"import-{started}.log"
    with (
        logged_to_file(current_app, log_file),
        click.progressbar(length=len(files), label="Importing", file=sys.stderr) as bar,
    ):
        records = import_files(
            files,
            manifest=rows,
            default_licence=licence,
            workers=workers,
            on_progress=lambda record: bar.update(1),
        )
    summary = summarise(records)
    for record in records:
        if record.status == "rejected":
            click.echo(f"rejected {record.path}: {record.reason}", err=True)
        for note in record.notes:
            click.echo(f"note {record.path}: {note}", err=True)
    if report:
        report.write_text(
            json.dumps({"files": [r.as_report() for r in records], "summary": summary}, indent=2)
        )
    click.echo(
        f"{len(records)} files: {summary['imported']} imported, "
        f"{summary['duplicate']} duplicates, {summary['rejected']} rejected."
    )
    if summary["unexpected"]:
        # The last line, for a person and for scripts alike: this run needs someone to look.
        click.echo(
            f"{summary['unexpected']} of them failed unexpectedly (not because of the file): "
            f"the details are in {log_file}; import them again once it is mended."
        )
        sys.exit(1)


@click.command("faces")
@click.option(
    "--unchecked",
    is_flag=True,
    required=True,
    help="Check the photos stored before the face check, from their display derivatives.",
)
def faces_command(unchecked):
    """Find the faces on photos the face check has not looked at, for curators to review."""
    waiting = len(unchecked_photos())
    with click.progressbar(length=waiting, label="Checking faces", file=sys.stderr) as bar:
        checked, with_faces = check_unchecked(on_progress=lambda found: bar.update(1))
    click.echo(f"{checked} photos checked: {with_faces} with faces found.")
