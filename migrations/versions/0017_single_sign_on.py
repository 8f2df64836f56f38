"""users sign in through the institution's OpenID Connect provider; admins can require it

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 20:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        # Every account so far was made by an admin or the command line, role and all.
        batch_op.add_column(
            sa.Column('role_set_by_admin', sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_users_oidc_issuer', ['oidc_issuer', 'oidc_subject'])
    op.create_table(
        'site_settings',
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('value', sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_site_settings')),
    )


def downgrade():
    op.drop_table('site_settings')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_oidc_issuer', type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
        batch_op.drop_column('role_set_by_admin')
