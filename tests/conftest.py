"""The suite's fixtures live in tests/fixtures/, by subject; this loads them for every test.

pytest_plugins may only be set here, in the top-level conftest. A module is listed after
the modules it imports, so each is imported (and its asserts rewritten) by pytest first.
"""

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.servers",
    "tests.fixtures.people",
    "tests.fixtures.photos",
    "tests.fixtures.exhibitions",
    "tests.fixtures.routes",
]
