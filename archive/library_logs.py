"""Third-party libraries' log lines: kept for debugging, never on a person's terminal.

A library that logs warnings on a logger with no handler (qpdf's notes about a PDF it
read, through pikepdf) has them printed to the terminal by Python, once per file: during
an import they would bury the progress bar and the per-file report. No Flask here:
import workers call this too.
"""

import logging

CHATTY_LIBRARIES = ("PIL", "pillow_heif", "pikepdf")


class _AsDebug(logging.Handler):
    """Pass a library's record on to the archive's log, at debug level."""

    def emit(self, record: logging.LogRecord) -> None:
        """Log the record's message under archive.libraries, whatever its level was."""
        logging.getLogger("archive.libraries").debug("%s: %s", record.name, record.getMessage())


def quiet_libraries() -> None:
    """Send the chatty libraries' log lines to the archive's log at debug level (idempotent)."""
    for name in CHATTY_LIBRARIES:
        library = logging.getLogger(name)
        library.propagate = False
        if not any(isinstance(handler, _AsDebug) for handler in library.handlers):
            library.addHandler(_AsDebug())
