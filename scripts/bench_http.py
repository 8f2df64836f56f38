"""For the HTTP benchmarks: the app under gunicorn on 127.0.0.1, and wrk to load it.

wrk (Debian's package; ./scripts/bench installs it) runs in its own process, in C, so
the load generator takes little of the CPU the server is measured on.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Cycles through the paths; prints the figures wrk's own summary has no line for (p95).
WRK_SCRIPT = """
local paths = {%s}
local cookie = %s
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local next_path = 0
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%.0f %%.0f\\n", summary.requests,
    summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


@contextmanager
def served_by_gunicorn(
    instance: str, workers: int = 2, environment: dict | None = None
) -> Iterator[str]:
    """Serve the app of the instance folder as in production (gunicorn.conf.py); yield its URL.

    `environment` adds variables for the server (ARCHIVE_* settings).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - gunicorn from this venv, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        # Login limits off: counting them across workers needs a Redis (gunicorn.conf.py
        # refuses memory:// with several workers), and the benchmarks log in once.
        env={
            **os.environ,
            "ARCHIVE_INSTANCE_PATH": instance,
            "ARCHIVE_RATELIMIT_ENABLED": "false",
            **(environment or {}),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/livez", timeout=1).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def signed_in_cookie(base: str, email: str, password: str) -> str:
    """Log in through the real login form; return the session cookie to send with requests."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    with opener.open(f"{base}/login") as page:
        page_text = page.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page_text).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    with opener.open(f"{base}/login", data=form.encode()) as answer:  # follows the redirect
        if "Log out" not in answer.read().decode():
            raise RuntimeError(f"could not log in as {email}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in cookies)


def load(base: str, paths: list[str], connections: int, seconds: float, cookie: str = "") -> dict:
    """Request the paths in turn over `connections` connections; return the figures.

    Returns requests per second, p50 and p95 latency in milliseconds, and how many
    answers were errors (4xx/5xx) or failed connections.
    """
    quoted = ", ".join(_lua_string(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % (quoted, _lua_string(cookie)))
        script.flush()
        output = subprocess.run(  # noqa: S603 - wrk with fixed arguments, on 127.0.0.1
            [
                shutil.which("wrk") or "wrk",
                "--threads",
                "1",
                "--connections",
                str(connections),
                "--duration",
                f"{max(1, round(seconds))}s",  # wrk takes whole seconds
                "--script",
                script.name,
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    requests, duration, bad_status, failed, p50, p95 = (int(value) for value in found.groups())
    return {
        "requests_per_second": requests / (duration / 1e6),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "errors": bad_status + failed,
        "requests": requests,
    }


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
