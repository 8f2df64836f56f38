"""The suite's fixtures live in tests/fixtures/, by subject; this loads them for every test.

pytest_plugins may only be set here, in the top-level conftest. A module is listed after
the modules it imports, so each is imported (and its asserts rewritten) by pytest first.
"""

import pytest

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.servers",
    "tests.fixtures.people",
    "tests.fixtures.photos",
    "tests.fixtures.exhibitions",
    "tests.fixtures.routes",
    "tests.fixtures.mail",
]


# First: pytest-xdist reads the xdist_group markers in its own hook, which must see these.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Run the tests marked after_all_others last: they read what the others left behind.

    With pytest-xdist (./scripts/test runs the suite on every core, --dist loadgroup), every
    test that sends mail and those that read it all run on one worker, in this order, so
    the last see every message the run delivered.
    """
    items.sort(key=lambda item: item.get_closest_marker("after_all_others") is not None)
    for item in items:
        if "mail" in item.fixturenames or item.get_closest_marker("after_all_others"):
            item.add_marker(pytest.mark.xdist_group("mail"))
