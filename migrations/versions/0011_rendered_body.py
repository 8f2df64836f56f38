"""exhibitions keep their introduction as sanitised HTML, made when it is saved

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 17:00:00

"""
import re

import cmarkgfm
import nh3
import sqlalchemy as sa
from alembic import op
from cmarkgfm.cmark import Options

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

exhibitions = sa.table(
    'exhibitions',
    sa.column('id', sa.Integer),
    sa.column('body', sa.Text),
    sa.column('body_html', sa.Text),
)


def upgrade():
    with op.batch_alter_table('exhibitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=False, server_default=''))
    connection = op.get_bind()
    for id_, body in connection.execute(sa.select(exhibitions.c.id, exhibitions.c.body)).all():
        connection.execute(
            exhibitions.update()
            .where(exhibitions.c.id == id_)
            .values(body_html=_introduction_html(body or ''))
        )


def downgrade():
    with op.batch_alter_table('exhibitions', schema=None) as batch_op:
        batch_op.drop_column('body_html')


# What archive/exhibitions/introduction.py did when this migration was written, kept here
# so that the migration works whatever that module becomes. It refuses nothing: a row
# already saved gets its HTML whatever its length or nesting (seconds at worst, once).
_SITE_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f]*")


def _introduction_html(markdown: str) -> str:
    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown,
        options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES,
        extensions=['table', 'strikethrough', 'autolink'],
    )
    return nh3.clean(
        html, link_rel='noopener noreferrer nofollow', attribute_filter=_own_images_only
    )


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == 'img' and attribute == 'src' and not _SITE_PATH.fullmatch(value):
        return None
    return value
