"""a person's date of birth or under-18 flag; a guardian's signature on a child's consent

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 21:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("born_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("under_18", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("consent_forms", schema=None) as batch_op:
        for name, length in (
            ("guardian_name", 200),
            ("guardian_relationship", 100),
            ("guardian_contact", 254),
        ):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.add_column(
            sa.Column(
                "guardian_allows_web", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("consent_forms", schema=None) as batch_op:
        for name in (
            "guardian_allows_web",
            "guardian_contact",
            "guardian_relationship",
            "guardian_name",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("under_18")
        batch_op.drop_column("born_on")
