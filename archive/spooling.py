"""Where the files of an upload wait while the request is read: on disk, never in memory."""

import tempfile
from typing import IO

from flask import Request

from archive.photos.ingest import upload_tmp_root

# Smaller parts (form fields' worth) stay in memory; anything larger goes to disk as it arrives.
SPOOL_IN_MEMORY_BYTES = 512 * 1024


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
