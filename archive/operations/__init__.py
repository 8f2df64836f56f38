"""Running the archive: initialisation, backup and restore, the check, health, PostgreSQL.

Operations sit above every feature: they look at all of them at once.
"""
