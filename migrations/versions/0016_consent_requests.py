"""consent requests sent by e-mail: when sent, reminded and answered

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consent_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_requests_person_id", "consent_requests", ["person_id"])


def downgrade():
    op.drop_index("ix_consent_requests_person_id", table_name="consent_requests")
    op.drop_table("consent_requests")
