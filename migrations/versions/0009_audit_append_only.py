"""audit events are append-only: the database refuses to change or delete them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

MESSAGE = 'audit events are append-only'

# SQLite drops a table's triggers with it, so a later migration that recreates
# audit_events (batch_alter_table does, on SQLite) must create these again.
SQLITE_UPGRADE = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER audit_events_no_delete",
    "DROP TRIGGER audit_events_no_update",
]

POSTGRESQL_UPGRADE = [
    f"""CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}';
    END;
    $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()""",
    # TRUNCATE fires no row trigger: it needs a statement trigger of its own.
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change()""",
]
POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER audit_events_no_truncate ON audit_events",
    "DROP TRIGGER audit_events_no_change ON audit_events",
    "DROP FUNCTION refuse_audit_change()",
]


def upgrade():
    for statement in _statements(SQLITE_UPGRADE, POSTGRESQL_UPGRADE):
        op.execute(statement)


def downgrade():
    for statement in _statements(SQLITE_DOWNGRADE, POSTGRESQL_DOWNGRADE):
        op.execute(statement)


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    """Pick the statements for the database being migrated."""
    return sqlite if op.get_bind().dialect.name == 'sqlite' else postgresql
