"""link_summaries: each linked article's comparison summary, so that incremental linking replays stored
reports without splitting them again; ix_incidents_hidden, to count the listed incidents without reading
every incident

An incremental `warmonitor link` (and ingest) files the stored reports of the incidents around its new
articles again; with their summaries (link/summary.py) it no longer cuts each into mentions anew. The
table starts empty: articles linked before this revision are split as before until they are linked
again, and `warmonitor link --rebuild` writes the summaries of every article that has none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "link_summaries",
        sa.Column("article_id", KEY, autoincrement=False, nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name=op.f("fk_link_summaries_article_id_articles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_link_summaries")),
    )
    # counting the listed incidents after each linking run: all of them less these few
    op.create_index("ix_incidents_hidden", "incidents", ["id"], sqlite_where=sa.text("hidden"),
                    postgresql_where=sa.text("hidden"))


def downgrade() -> None:
    op.drop_index("ix_incidents_hidden", table_name="incidents")
    op.drop_table("link_summaries")
