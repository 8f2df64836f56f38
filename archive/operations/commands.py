"""The commands that run the archive: init, check, migrate-storage, backup and restore."""

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from archive.config import save_instance_setting
from archive.operations.backup import BackupError, backup, backup_manifest, restore
from archive.operations.check import check
from archive.operations.initialise import initialise
from archive.storage import StorageError, get_storage, storage_for
from archive.storage.migrate import copy_files
from archive.storage.references import referenced_files


def init_app(app: Flask) -> None:
    """Register the operations commands on the app."""
    for command in (
        init_command,
        check_command,
        migrate_storage_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


@click.command("init")
def init_command():
    """Create or migrate the database, vocabularies and licences (safe to repeat)."""
    terms_added, licences_added = initialise()
    click.echo(
        f"Database ready at {current_app.config['SQLALCHEMY_DATABASE_URI']}; "
        f"added {terms_added} vocabulary terms and {licences_added} licences."
    )


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
        ("photo whose search document is out of date", report.stale_documents),
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
