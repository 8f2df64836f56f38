"""photos and exhibitions record the language their texts are written in

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # Texts saved before were never marked: their language is not set ("").
    for table in ('photos', 'exhibitions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('language', sa.String(length=35), nullable=False, server_default='')
            )


def downgrade():
    for table in ('exhibitions', 'photos'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
