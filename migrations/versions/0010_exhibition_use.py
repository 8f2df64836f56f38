"""exhibition use: where an exhibition is shown, and whether it is about identity

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

USE = sa.Enum('web', 'physical', 'internal', name='exhibitionuse', native_enum=False, create_constraint=True)


def upgrade():
    with op.batch_alter_table('exhibitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('use', USE, nullable=False, server_default='web'))
        batch_op.add_column(sa.Column('about_identity', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Existing exhibitions were shown where their visibility says: staff-only ones internally,
    # the others as web galleries.
    exhibitions = sa.table('exhibitions', sa.column('use', sa.String()), sa.column('visibility', sa.String()))
    op.execute(exhibitions.update().where(exhibitions.c.visibility == 'internal').values(use='internal'))


def downgrade():
    with op.batch_alter_table('exhibitions', schema=None) as batch_op:
        batch_op.drop_column('about_identity')
        batch_op.drop_column('use')
