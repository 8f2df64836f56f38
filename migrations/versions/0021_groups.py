"""events photos belong to; group consent sheets, a line of one per person

Revision ID: 0021_groups
Revises: 0018
Create Date: 2026-12-06 22:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_groups"
down_revision = "0020_blur"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "consent_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_sheets_event_id", "consent_sheets", ["event_id"])
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_photos_event_id", ["event_id"])
        batch_op.create_foreign_key("fk_photos_event_id_events", "events", ["event_id"], ["id"])
    with op.batch_alter_table("consent_forms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sheet_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_consent_forms_sheet_id", ["sheet_id"])
        batch_op.create_foreign_key(
            "fk_consent_forms_sheet_id_consent_sheets", "consent_sheets", ["sheet_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("consent_forms", schema=None) as batch_op:
        batch_op.drop_constraint("fk_consent_forms_sheet_id_consent_sheets", type_="foreignkey")
        batch_op.drop_index("ix_consent_forms_sheet_id")
        batch_op.drop_column("sheet_id")
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_constraint("fk_photos_event_id_events", type_="foreignkey")
        batch_op.drop_index("ix_photos_event_id")
        batch_op.drop_column("event_id")
    op.drop_index("ix_consent_sheets_event_id", table_name="consent_sheets")
    op.drop_table("consent_sheets")
    op.drop_table("events")
