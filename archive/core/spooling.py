"""The spool folder: where uploaded files wait on disk (never in memory) while they are checked."""

import tempfile
from pathlib import Path
from typing import IO

from flask import Request, current_app

# Smaller parts (form fields' worth) stay in memory; anything larger goes to disk as it arrives.
SPOOL_IN_MEMORY_BYTES = 512 * 1024


def upload_tmp_root() -> str:
    """Return the instance's folder for files being ingested, creating it if needed."""
    root = Path(current_app.config["UPLOAD_TMP_PATH"])
    root.mkdir(parents=True, exist_ok=True)
    return str(root)


class SpoolingRequest(Request):
    """A request whose uploaded files are spooled to the instance's tmp folder.

    Werkzeug already spools file parts to disk, but into the system's temporary folder,
    which on many systems is a RAM-backed tmpfs (so a 200 MB scan would cost 200 MB of
    memory after all) and is often small. The instance's tmp folder (UPLOAD_TMP_PATH) is
    where ingest works anyway, on the disk that holds the media.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._spooled: list[IO[bytes]] = []

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        stream = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by close() below
            max_size=SPOOL_IN_MEMORY_BYTES, mode="rb+", dir=upload_tmp_root()
        )
        self._spooled.append(stream)
        return stream

    def close(self) -> None:
        """Close the uploaded files, with any a dropped connection left half-written.

        Werkzeug closes only the files of a completely parsed body; a part cut short stays
        open (on disk, unlinked) until garbage collection. Flask calls this at the end of
        every request.
        """
        super().close()
        for stream in self._spooled:
            stream.close()
