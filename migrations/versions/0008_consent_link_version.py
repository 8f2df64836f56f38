"""consent link version: raising it ends a person's earlier consent links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_link_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('consent_link_version')
