"""The import contracts (.importlinter) catch an import against the package order.

./scripts/test runs lint-imports on the real tree before the tests; these check that the
contracts would fail if an import broke them, on a copy of the package with one added.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(
        ROOT / "archive", tmp_path / "archive", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / ".importlinter", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("module", "added", "broken"),
    [
        # A feature lower in the order reaching up: photos may not know consent.
        ("photos/models.py", "from archive.consent import rules", "One-way package order"),
        # core knows no feature.
        ("core/audit.py", "from archive.auth import models", "archive.core imports no feature"),
        # One page calling another's view instead of a service, even within a package.
        (
            "catalogue/photo_views.py",
            "from archive.catalogue import people_views",
            "Views never import views",
        ),
    ],
)
def test_an_import_against_the_order_fails_the_check(tree, module, added, broken):
    path = tree / "archive" / module
    path.write_text(path.read_text() + f"\n{added}  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout


def test_the_tree_as_it_is_keeps_every_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout
