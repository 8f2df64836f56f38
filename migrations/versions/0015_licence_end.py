"""a licence's last day of use, for permission granted for a term

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("licences") as batch_op:
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
    op.create_table(
        "expiry_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("within_days", sa.Integer(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject", "subject_id", "ends_on", "within_days"),
    )


def downgrade():
    op.drop_table("expiry_notices")
    with op.batch_alter_table("licences") as batch_op:
        batch_op.drop_column("ends_on")
