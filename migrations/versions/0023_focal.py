"""the focal point of a photo: where crops made from it centre

Revision ID: 0023_focal
Revises: 0018
Create Date: 2026-12-06 22:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_focal"
# Chained after this branch's newest migration so its tests run on one head; the lead
# re-chains it at merge (the brief's base was 0018).
down_revision = "0021_groups"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("photos", sa.Column("focal_x", sa.Float(), nullable=True))
    op.add_column("photos", sa.Column("focal_y", sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("focal_y")
        batch.drop_column("focal_x")
