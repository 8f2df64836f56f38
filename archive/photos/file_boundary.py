"""One rule for every file the archive is handed: stored, a duplicate, or refused with a reason.

The web form, `flask import`, the consent-form intake and the demo each handle files one
at a time. Whatever goes wrong with one file, the person is told why and the others carry
on: a refusal says what is wrong with the file; a fault of the archive itself (a bug, a
full disk, a store that does not answer) is logged with its traceback and reported as an
UnexpectedFailure, never as a 500 or an aborted run.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from archive.core.database import WriteBusy
from archive.core.intake import RejectedUpload
from archive.storage import StorageError

# The app's logger (Flask names it after the package), also in processes with no app.
log = logging.getLogger("archive")


class UnexpectedFailure(RejectedUpload):
    """The archive, not the file, failed; str(error) is for the person, the log has the rest."""


def as_refusal(error: Exception, filename: str) -> RejectedUpload:
    """Return the refusal to report for an error raised while handling one file."""
    if isinstance(error, RejectedUpload):
        return error
    if isinstance(error, WriteBusy):
        return UnexpectedFailure(str(error))  # logged where it was raised
    if isinstance(error, StorageError):
        log.error("could not store %s: %s", filename, error)
        return UnexpectedFailure(
            f"the archive could not store the file just now ({error}); "
            "nothing was saved, please try again later"
        )
    log.error("unexpected error while handling %s", filename, exc_info=error)
    return UnexpectedFailure(
        f"an unexpected error in the archive stopped this file ({type(error).__name__}); "
        "nothing was saved, and the details are in the archive's log"
    )


@contextmanager
def one_file(filename: str) -> Iterator[None]:
    """Raise any error from handling this file as a RejectedUpload with a reason to show."""
    try:
        yield
    except Exception as error:  # the per-file boundary: every error is reported, none escapes
        refusal = as_refusal(error, filename)
        if refusal is error:
            raise
        raise refusal from error
