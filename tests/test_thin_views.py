"""Views parse input, call a service and render: no SQL and no writes in a view module.

Fetching the row a URL names (db.get_or_404, db.session.get) is the one database use a
view keeps; queries, writes and transactions belong to the services, where a command, a
test or a worker can call them too.
"""

import re
from pathlib import Path

import pytest

ARCHIVE = Path(__file__).resolve().parents[1] / "archive"
VIEW_MODULES = sorted(ARCHIVE.rglob("*views.py"))

FORBIDDEN = re.compile(
    r"\bselect\(|\.query[.(]|commit\(|write_transaction|populate_obj\(|^\s*(from|import) sqlalchemy"
    r"|db\.session\.(?!get\()"  # any session use but fetching one row by its key
)


def test_there_are_view_modules_to_check():
    assert len(VIEW_MODULES) >= 10


@pytest.mark.parametrize("module", VIEW_MODULES, ids=lambda path: str(path.relative_to(ARCHIVE)))
def test_a_view_module_has_no_sql_and_no_write(module):
    lines = module.read_text().splitlines()
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(lines, 1)
        if FORBIDDEN.search(line)
    ]
    assert found == [], "move these into a service"
