"""`flask --app archive …` commands."""

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask_migrate import upgrade
from sqlalchemy import func, select

from archive.auth.models import Role
from archive.auth.services import AccountError, create_user
from archive.config import save_instance_setting
from archive.demo import load_demo
from archive.exhibitions.exports import exported_items, iiif_manifest, items_csv, static_site
from archive.exhibitions.models import Visibility
from archive.exhibitions.services import exhibition_by_slug
from archive.extensions import db
from archive.licences.services import ensure_default_licences, licence_by_code
from archive.logs import logged_to_file
from archive.operations.backup import BackupError, backup, backup_manifest, restore
from archive.operations.check import check
from archive.people.edi import ensure_default_attributes
from archive.people.services import ensure_default_terms
from archive.photos.bulk import (
    ManifestError,
    collect_files,
    import_files,
    read_manifest,
)
from archive.photos.models import Photo
from archive.search.documents import INDEXED
from archive.search.index import apply_pending_changes, reindex
from archive.storage import StorageError, get_storage, storage_for
from archive.storage.migrate import copy_files
from archive.storage.references import referenced_files


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    for command in (
        init_command,
        create_user_command,
        demo_command,
        import_command,
        reindex_command,
        check_command,
        migrate_storage_command,
        backup_command,
        restore_command,
        export_exhibition_command,
    ):
        app.cli.add_command(command)


def initialise() -> tuple[int, int]:
    """Create or migrate the database and add default vocabularies and licences."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade(directory=current_app.extensions["migrate"].directory)
    ensure_default_attributes()
    added = ensure_default_terms(), ensure_default_licences()
    apply_pending_changes()  # creates the index on first run, catches up after an upgrade
    return added


@click.command("init")
def init_command():
    """Create or migrate the database, vocabularies and licences (safe to repeat)."""
    terms_added, licences_added = initialise()
    click.echo(
        f"Database ready at {current_app.config['SQLALCHEMY_DATABASE_URI']}; "
        f"added {terms_added} vocabulary terms and {licences_added} licences."
    )


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Display name (defaults to the e-mail's user part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, name: str, password_stdin: bool):
    """Add a user."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, Role(role), name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added {user.email} as {user.role.value}.")


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
    counts = {
        status: sum(r.status == status for r in records)
        for status in ("imported", "duplicate", "rejected")
    }
    for record in records:
        if record.status == "rejected":
            click.echo(f"rejected {record.path}: {record.reason}", err=True)
        for note in record.notes:
            click.echo(f"note {record.path}: {note}", err=True)
    unexpected = sum(record.unexpected for record in records)
    if report:
        summary = {**counts, "unexpected": unexpected}
        report.write_text(
            json.dumps({"files": [r.as_report() for r in records], "summary": summary}, indent=2)
        )
    click.echo(
        f"{len(records)} files: {counts['imported']} imported, "
        f"{counts['duplicate']} duplicates, {counts['rejected']} rejected."
    )
    if unexpected:
        # The last line, for a person and for scripts alike: this run needs someone to look.
        click.echo(
            f"{unexpected} of them failed unexpectedly (not because of the file): "
            f"the details are in {log_file}; import them again once it is mended."
        )
        sys.exit(1)


@click.command("reindex")
def reindex_command():
    """Rebuild the search index from the database."""
    total = db.session.execute(select(func.count(Photo.id)).where(INDEXED)).scalar()
    with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
        count = reindex(on_progress=bar.update)
    click.echo(f"Indexed {count} photos.")


@click.command("check")
@click.option("--repair", is_flag=True, help="Delete orphan files and bring the index up to date.")
def check_command(repair: bool):
    """Verify stored files against their checksums and the search index against the database."""
    files = len(referenced_files())
    with click.progressbar(length=files, label="Verifying files", file=sys.stderr) as bar:
        report = check(repair=repair, on_file=lambda key: bar.update(1))
    if report.storage_error:
        click.echo(f"storage unusable: {report.storage_error}")
    grace = f"{current_app.config['ORPHAN_GRACE_HOURS']:g} hours"
    for label, items in (
        ("missing file", report.missing_files),
        ("corrupt file (checksum differs)", report.corrupt_files),
        ("orphan file (no row refers to it)", report.orphan_files),
        (f"recent unreferenced file (kept until it is {grace} old)", report.recent_orphans),
        (f"interrupted upload (left for more than {grace})", report.partial_uploads),
        (f"stale working folder or file (unchanged for {grace})", report.working_files),
        ("photo missing from the search index", report.not_in_index),
        ("photo in the search index that should not be", report.stale_in_index),
    ):
        for item in items:
            click.echo(f"{label}: {item}")
    if report.queued_changes:
        click.echo(f"photos waiting to be reindexed: {report.queued_changes}")
    for line in report.repaired:
        click.echo(f"repaired: {line}")
    for line in report.unrepaired:
        click.echo(f"not repaired: {line}")
    checked = 0 if report.storage_error else files
    click.echo(f"Checked {checked} files: {report.problems} problems found.")
    if (report.problems and not repair) or report.unrepaired:
        sys.exit(1)


@click.command("migrate-storage")
@click.option("--to", "setting", required=True, help="The new store: s3://bucket/prefix, or local.")
def migrate_storage_command(setting: str):
    """Copy every stored file to a new store, verify each checksum, then switch to it.

    Interrupted, it carries on where it stopped when run again. The switch is written to
    instance/config.py; the old store is left as it was.
    """
    if setting == current_app.config["STORAGE"]:
        raise click.ClickException(f"the archive already uses {setting}")
    source = get_storage()
    try:
        target = storage_for(setting, current_app.config)
        target.verify()
        keys = sorted(found.key for found in source.stored_objects())
        workdir = Path(current_app.config["UPLOAD_TMP_PATH"])
        workdir.mkdir(parents=True, exist_ok=True)
        with click.progressbar(length=len(keys), label="Copying", file=sys.stderr) as bar:
            report = copy_files(
                source, target, keys, referenced_files(), workdir, on_key=lambda k: bar.update(1)
            )
    except StorageError as error:
        raise click.ClickException(
            f"{error}. Nothing was switched; run the command again to carry on."
        ) from None
    for key in report.failed:
        click.echo(f"checksum differs after copying: {key}")
    click.echo(
        f"{len(keys)} files: {report.copied} copied, {report.already_there} already there, "
        f"{len(report.failed)} failed verification."
    )
    if report.failed:
        click.echo("Nothing was switched: run check on the current store, then try again.")
        sys.exit(1)
    if save_instance_setting(current_app, "STORAGE", setting):
        click.echo(f"Switched: STORAGE = {setting!r} in instance/config.py. Restart the archive.")
    else:
        click.echo(f"Set ARCHIVE_STORAGE={setting}: the environment overrides instance/config.py.")


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def backup_command(path: Path):
    """Back up the database and every stored file, with a manifest of checksums, into PATH."""
    files = sum(1 for _found in get_storage().stored_objects())
    with click.progressbar(length=files, label="Copying files", file=sys.stderr) as bar:
        try:
            manifest = backup(path, on_file=lambda key: bar.update(1))
        except BackupError as error:
            raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up the {manifest['engine']} database (schema {manifest['schema_revision']}) "
        f"and {len(manifest['files']) - 1} files to {path}."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Replace the database of an instance that already holds data."
)
def restore_command(path: Path, replace: bool):
    """Restore a backup made by `backup` into this (empty) instance and rebuild the index."""
    try:
        files = len(backup_manifest(path)["files"]) - 1
        with click.progressbar(length=files, label="Restoring files", file=sys.stderr) as bar:
            manifest = restore(path, replace=replace, on_file=lambda key: bar.update(1))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored the database of {manifest['created_at']} and {files} files; "
        "the search index is rebuilt. Run `check` to verify."
    )


@click.command("export-exhibition")
@click.argument("slug")
@click.option("--format", "kind", type=click.Choice(["static", "iiif", "csv"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_exhibition_command(slug: str, kind: str, output: Path):
    """Export an exhibition: a static site (zip), a IIIF manifest (JSON) or a CSV of items."""
    exhibition = exhibition_by_slug(slug)
    if exhibition is None:
        raise click.ClickException(f"no exhibition has the address {slug!r}")
    institution = current_app.config["INSTITUTION"]
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    # Exports run outside a request: URLs are made for the site's public address.
    with current_app.test_request_context(base_url=base):
        if kind == "static":
            output.write_bytes(static_site(exhibition, institution))
        elif kind == "csv":
            output.write_bytes(items_csv(exhibition, institution))
        else:
            key = exhibition.secret if exhibition.visibility is Visibility.UNLISTED else None
            document = iiif_manifest(
                exhibition,
                institution,
                url_for("exhibitions.manifest", slug=slug, key=key, _external=True),
                lambda sha256: url_for(
                    "exhibitions.media", slug=slug, sha256=sha256, key=key, _external=True
                ),
            )
            output.write_text(json.dumps(document, indent=2))
    click.echo(f"Wrote {output}: {len(exported_items(exhibition, kind))} items.")
