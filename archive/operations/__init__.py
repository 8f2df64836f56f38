"""Running the archive: backup and restore, the check of files and index, health, PostgreSQL.

Operations sit above every feature: they look at all of them at once.
"""
