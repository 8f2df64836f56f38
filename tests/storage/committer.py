"""A second process that commits photos: `python -m tests.storage.committer CONFIG_JSON`.

It builds the app from the JSON configuration (the same instance, database and store
as the test's app), then ingests each image file named on standard input, one path a
line, through the real pipeline, and prints the new photo's id once it is committed.
"""

import json
import sys
from pathlib import Path

from archive import create_app
from archive.photos.ingest import PhotoDetails, ingest_file


def main() -> None:
    """Ingest the files named on stdin, answering each with its photo id."""
    app = create_app(json.loads(sys.argv[1]))
    with app.app_context():
        for line in sys.stdin:
            path = Path(line.strip())
            details = PhotoDetails(
                title=path.stem, alt_text="A technician at work", no_identifiable_people=True
            )
            outcome = ingest_file(path, details, original_filename=path.name, uploaded_by=None)
            print(outcome.photo.id, flush=True)


if __name__ == "__main__":
    main()
