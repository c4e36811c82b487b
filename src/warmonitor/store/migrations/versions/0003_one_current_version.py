"""one current version per article key and per content hash (concurrent ingests stored some twice)

Before the indexes can exist, duplicates that earlier concurrent runs left are mended: of several
current rows with one key (or one content hash) the first stored stays current, the others become old
versions and lose their facts, exactly as if they had been stored one after the other.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CURRENT = sa.text("is_current")


def upgrade() -> None:
    bind = op.get_bind()
    for column in ("article_key", "content_hash"):
        extra = bind.execute(sa.text(
            f"SELECT a.id FROM articles a WHERE a.is_current AND EXISTS (SELECT 1 FROM articles b "
            f"WHERE b.is_current AND b.{column} = a.{column} AND b.id < a.id)")).scalars().all()
        for start in range(0, len(extra), 500):
            ids = extra[start:start + 500]
            bind.execute(sa.text("DELETE FROM facts WHERE article_id IN :ids")
                         .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids})
            bind.execute(sa.text("UPDATE articles SET is_current = :no WHERE id IN :ids")
                         .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids, "no": False})
    op.create_index("uq_articles_current_key", "articles", ["article_key"], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_index("uq_articles_current_hash", "articles", ["content_hash"], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)


def downgrade() -> None:
    op.drop_index("uq_articles_current_hash", table_name="articles")
    op.drop_index("uq_articles_current_key", table_name="articles")
