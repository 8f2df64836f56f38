"""the parts of a photo a curator blurred in its derivatives and downloads

Revision ID: 0020_blur
Revises: 0018
Create Date: 2026-12-06 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_blur"
down_revision = "0019_faces"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "blur_regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("left", sa.Float(), nullable=False),
        sa.Column("top", sa.Float(), nullable=False),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["made_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_blur_regions_photo_id", "blur_regions", ["photo_id"])


def downgrade():
    op.drop_index("ix_blur_regions_photo_id", table_name="blur_regions")
    op.drop_table("blur_regions")
