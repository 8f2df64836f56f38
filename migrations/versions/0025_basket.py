"""the download basket: the photos a comms user means to download together

Revision ID: 0025_basket
Revises: 0018
Create Date: 2026-12-06 22:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_basket"
down_revision = "0023_focal"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "basket_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["photos.id"],
            name=op.f("fk_basket_items_photo_id_photos"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_basket_items_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_basket_items")),
        sa.UniqueConstraint("user_id", "photo_id", name=op.f("uq_basket_items_user_id")),
    )
    with op.batch_alter_table("basket_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_basket_items_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("basket_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_basket_items_user_id"))
    op.drop_table("basket_items")
