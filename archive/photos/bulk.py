"""Bulk import: many files through the same pipeline as the web form, CPU work in a pool."""

import csv
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from archive.core.database import many_writes
from archive.core.intake import RejectedUpload, clean_filename, sha256_of
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.licences.models import Licence
from archive.licences.services import licence_by_code
from archive.people.models import Person
from archive.photos.analysis import Analysis, Limits
from archive.photos.analysis_pool import AnalysisPool
from archive.photos.file_boundary import UnexpectedFailure, one_file
from archive.photos.ingest import PhotoDetails, find_photo_by_hash, store_photo

MANIFEST_COLUMNS = (
    "filename",
    "title",
    "caption",
    "alt_text",
    "photographer",
    "licence",
    "people",
    "no_identifiable_people",
)


@dataclass
class ImportRecord:
    """One line of the import report."""

    path: str
    status: str  # imported, duplicate or rejected
    photo_id: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    unexpected: bool = False

    def as_report(self) -> dict:
        """Return the record as written to the JSON report."""
        return asdict(self)


class ManifestError(RejectedUpload):
    """The manifest CSV cannot be used; the message says which line and why."""


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Return the files named, and the files inside the folders named, in a stable order."""
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Read a manifest CSV into rows keyed by file name (see README for the columns)."""
    with open(path, newline="", encoding="utf-8-sig") as source:
        reader = csv.DictReader(source)
        if not reader.fieldnames or "filename" not in reader.fieldnames:
            raise ManifestError(f"{path}: the first line must name the columns, with 'filename'")
        unknown = set(reader.fieldnames) - set(MANIFEST_COLUMNS)
        if unknown:
            raise ManifestError(f"{path}: unknown columns {', '.join(sorted(unknown))}")
        return {row["filename"].strip(): row for row in reader if row.get("filename")}


@dataclass(frozen=True)
class _KnownPhoto:
    """A file whose content is already in the archive, or met earlier in this import."""

    sha256: str


@dataclass(frozen=True)
class _Failed:
    """A file that could not be analysed: why, and its content hash when it could be read."""

    error: Exception
    sha256: str | None = None


@dataclass(frozen=True)
class _Analysing:
    """A file handed to a worker."""

    future: Future
    sha256: str


def import_files(
    files: list[Path],
    *,
    manifest: dict[str, dict[str, str]],
    default_licence: Licence | None,
    workers: int,
    on_progress: Callable[[ImportRecord], None] = lambda record: None,
) -> list[ImportRecord]:
    """Ingest each file; return one record per file, in the order given.

    Decoding, EXIF and derivatives run in `workers` processes; storage and database
    writes stay in this process, one photo at a time, in file order. Nothing one file
    does stops the run: each ends imported, duplicate or rejected with a reason.
    """
    limits = Limits.from_config(current_app.config)
    new_people: dict[str, Person] = {}
    # What became of each content met so far in this run: a later copy shares its fate.
    by_content: dict[str, ImportRecord] = {}
    records = []
    with (
        tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir,
        many_writes(),
    ):
        for path, job_dir, outcome in _analysed(files, Path(workdir), limits, workers):
            if isinstance(outcome, _KnownPhoto):
                record = _copy_of(str(path), outcome.sha256, by_content)
            else:
                row = manifest.get(path.name, {})
                record = _store(path, outcome, row, default_licence, new_people)
                if outcome.sha256:
                    by_content[outcome.sha256] = record
            shutil.rmtree(job_dir, ignore_errors=True)
            records.append(record)
            on_progress(record)
    return records


def summarise(records: list[ImportRecord]) -> dict[str, int]:
    """Count the files imported, duplicate and rejected, and those that failed unexpectedly."""
    counts = {
        status: sum(record.status == status for record in records)
        for status in ("imported", "duplicate", "rejected")
    }
    return {**counts, "unexpected": sum(record.unexpected for record in records)}


def _analysed(
    files: list[Path], workdir: Path, limits: Limits, workers: int
) -> Iterator[tuple[Path, Path, Analysis | _KnownPhoto | _Failed]]:
    """Yield (file, its working folder, what became of it) in file order."""
    seen: set[str] = set()
    with AnalysisPool(workers) as pool:
        pending: deque[tuple[Path, Path, _Analysing | _KnownPhoto | _Failed]] = deque()
        for index, path in enumerate(files):
            job_dir = workdir / str(index)
            pending.append((path, job_dir, _submit(pool, path, job_dir, limits, seen)))
            # Bounded look-ahead: at most two files per worker decoded but not yet stored.
            while len(pending) > 2 * pool.workers:
                yield _resolved(pool, limits, *pending.popleft())
        while pending:
            yield _resolved(pool, limits, *pending.popleft())


def _submit(
    pool: AnalysisPool, path: Path, job_dir: Path, limits: Limits, seen: set[str]
) -> _Analysing | _KnownPhoto | _Failed:
    # Hashing here, before the pool, lets a re-run skip every file already ingested at once.
    try:
        sha256 = sha256_of(path)
    except OSError as error:
        return _Failed(RejectedUpload(f"the file cannot be read ({error.strerror or error})"))
    if sha256 in seen or find_photo_by_hash(sha256) is not None:
        return _KnownPhoto(sha256)
    seen.add(sha256)
    try:
        job_dir.mkdir()
        return _Analysing(pool.submit(path, job_dir, limits, sha256), sha256)
    except Exception as error:  # noqa: BLE001 - reported for this file by _store
        return _Failed(error, sha256)


def _resolved(
    pool: AnalysisPool,
    limits: Limits,
    path: Path,
    job_dir: Path,
    job: _Analysing | _KnownPhoto | _Failed,
) -> tuple[Path, Path, Analysis | _KnownPhoto | _Failed]:
    if isinstance(job, _Analysing):
        try:
            return path, job_dir, pool.result(job.future, path, job_dir, limits, job.sha256)
        except Exception as error:  # noqa: BLE001 - reported for this file by _store
            return path, job_dir, _Failed(error, job.sha256)
    return path, job_dir, job


def _store(
    path: Path,
    outcome: Analysis | _Failed,
    row: dict[str, str],
    default_licence: Licence | None,
    new_people: dict[str, Person],
) -> ImportRecord:
    shown = str(path)
    try:
        with one_file(shown):
            if isinstance(outcome, _Failed):
                raise outcome.error
            result = store_photo(
                outcome,
                _details(row, default_licence, new_people),
                original_filename=clean_filename(path.name),
                uploaded_by=None,
            )
    except RejectedUpload as refusal:
        unexpected = isinstance(refusal, UnexpectedFailure)
        if unexpected:
            db.session.rollback()  # so that the next file starts from a clean session
        return ImportRecord(shown, "rejected", reason=str(refusal), unexpected=unexpected)
    status = "duplicate" if result.duplicate else "imported"
    return ImportRecord(shown, status, photo_id=result.photo.id, notes=list(result.notes))


def _copy_of(shown: str, sha256: str, by_content: dict[str, ImportRecord]) -> ImportRecord:
    """Return the record of a file whose content was met before: it shares that fate."""
    earlier = by_content.get(sha256)
    if earlier is not None and earlier.status == "rejected":
        return ImportRecord(shown, "rejected", reason=earlier.reason, unexpected=earlier.unexpected)
    if earlier is not None:
        return ImportRecord(shown, "duplicate", photo_id=earlier.photo_id)
    photo = find_photo_by_hash(sha256)
    if photo is None:  # in the archive when the run began, erased since
        return ImportRecord(shown, "rejected", reason="the photo was erased during the import")
    return ImportRecord(shown, "duplicate", photo_id=photo.id)


def _details(
    row: dict[str, str], default_licence: Licence | None, new_people: dict[str, Person]
) -> PhotoDetails:
    licence = default_licence
    if row.get("licence"):
        licence = licence_by_code(row["licence"].strip())
        if licence is None:
            raise ManifestError(f"unknown licence code {row['licence']!r} in the manifest")
    names = [name.strip() for name in (row.get("people") or "").split(";") if name.strip()]
    return PhotoDetails(
        title=row.get("title") or "",
        caption=row.get("caption") or "",
        alt_text=row.get("alt_text") or "",
        photographer=row.get("photographer") or "",
        licence_id=licence.id if licence else None,
        people=[_person_named(name, new_people) for name in names],
        no_identifiable_people=(row.get("no_identifiable_people") or "").strip().lower()
        in ("1", "yes", "true", "y"),
    )


def _person_named(name: str, new_people: dict[str, Person]) -> Person:
    """Return the person with this name, or a new one (saved with its first photo)."""
    found = db.session.execute(
        select(Person).where(func.lower(Person.name) == name.lower()).limit(1)
    ).scalar_one_or_none()
    return found or new_people.setdefault(name.lower(), Person(name=name))
