"""the face check: the boxes of the faces found on a photo, and a curator's confirmation

Revision ID: 0019_faces
Revises: 0018
Create Date: 2026-12-06 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_faces"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "face_boxes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("left", sa.Float(), nullable=False),
        sa.Column("top", sa.Float(), nullable=False),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("photo_id", "number"),
    )
    # Photos stored before the check have not been looked at: `flask faces --unchecked`.
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("faces_checked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("faces_confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("faces_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_photos_faces_confirmed_by_id_users", "users", ["faces_confirmed_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_constraint("fk_photos_faces_confirmed_by_id_users", type_="foreignkey")
        batch_op.drop_column("faces_confirmed_at")
        batch_op.drop_column("faces_confirmed_by_id")
        batch_op.drop_column("faces_checked")
    op.drop_table("face_boxes")
