"""What every feature stands on: the database, the audit log, upload intake, signals, fields.

Nothing in core imports a feature package; see docs/architecture.md.
"""
