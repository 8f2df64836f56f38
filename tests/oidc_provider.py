"""A throw-away OpenID Connect provider for the tests: tests/oidc/provider.mjs under Node."""

import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.postgres import free_port

SCRIPT = Path(__file__).resolve().parent / "oidc" / "provider.mjs"


class TemporaryOidcProvider:
    """panva's oidc-provider on 127.0.0.1 and a free port: started by start(), gone after stop().

    Its sign-in page takes any login name and password; tests/oidc/provider.mjs says which
    claims (name, e-mail, groups) each name gets.
    """

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="archive-oidc-"))
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the provider; wait until its discovery document answers."""
        node = shutil.which("node")
        if node is None:
            raise LookupError("node is not installed")
        log = self.folder / "provider.log"
        with open(log, "wb") as output:
            self._process = subprocess.Popen(
                [node, str(SCRIPT)],
                cwd=SCRIPT.parents[2],  # where node_modules is
                env={"PORT": str(self.port), "PATH": str(Path(node).parent)},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        for _ in range(200):
            if self._process.poll() is not None:
                raise RuntimeError(f"the provider exited: {log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.discovery_url, timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the provider did not answer within 10 s")

    @property
    def discovery_url(self) -> str:
        """Return the address of the provider's discovery document."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def register_client(self, redirect_uri: str, post_logout_redirect_uri: str) -> dict:
        """Register a client as an institution's admin would; return its client_id and secret."""
        body = {
            "redirect_uris": [redirect_uri],
            "post_logout_redirect_uris": [post_logout_redirect_uri],
            "token_endpoint_auth_method": "client_secret_basic",
        }
        request = urllib.request.Request(
            f"{self.issuer}/reg",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)

    def stop(self) -> None:
        """Stop the provider and remove its log."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)
