"""gunicorn's settings for the archive: `gunicorn --config gunicorn.conf.py` (see README).

Options given on the command line win, e.g. `--bind 0.0.0.0:8000 --workers 4`.
"""

import multiprocessing

wsgi_app = "wsgi:app"
bind = "127.0.0.1:8000"
# Uploads are decoded and resized in the worker: CPU-bound, so about two per core, but no
# more than 8, as each may hold a decoded camera picture (hundreds of MB) in memory.
workers = min(multiprocessing.cpu_count() * 2 + 1, 8)
# A request may decode a dozen camera files or scans; a worker silent for longer is stuck.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then, as long image work can leave a worker's memory fragmented;
# seldom, since a restarting worker serves nothing while it loads the app, and a gallery
# shared widely may see thousands of requests a minute.
max_requests = 50_000
max_requests_jitter = 5_000
# Request line and headers: gunicorn's limits, stated here so a proxy can match them. The
# body limit is the app's own MAX_CONTENT_LENGTH (ARCHIVE_MAX_UPLOAD_MB ×
# ARCHIVE_MAX_FILES_PER_UPLOAD, 3000 MB by default), answered with a 413 page: gunicorn has
# no body limit, so give the proxy in front the same one (nginx: client_max_body_size).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# The app logs every request itself, as JSON with its request id. gunicorn's access log
# would add query strings, and a search query may name EDI answers (gender:…).
accesslog = None
errorlog = "-"


def on_starting(server):
    """Refuse settings the workers cannot share: rate limits per process, no shared secret key."""
    # A RuntimeError here is printed by gunicorn as one "Error: …" line, and it exits 1; in
    # a worker's create_app it would be a traceback per worker.
    from archive.config import (
        check_secret_keys,
        check_workers_share_rate_limits,
        settings_without_app,
    )

    check_workers_share_rate_limits(server.cfg.workers)
    check_secret_keys(settings_without_app())
