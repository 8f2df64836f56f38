"""the index change queue becomes a log every host follows with its own cursor

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:15:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'index_hosts',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('applied_through', sa.BigInteger(), nullable=False),
        sa.Column('reported_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index_hosts')),
    )
    horizon = op.create_table(
        'index_log_horizon',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pruned_through', sa.BigInteger(), nullable=False),
        sa.Column('rebuild_from', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index_log_horizon')),
    )
    op.bulk_insert(horizon, [{'id': 1, 'pruned_through': 0, 'rebuild_from': 0}])


def downgrade():
    op.drop_table('index_log_horizon')
    op.drop_table('index_hosts')
