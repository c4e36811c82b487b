"""incidents.hidden and incident_articles: incidents of fact-less reports kept between linking runs, and
every article of an incident (with or without facts) kept as its member

Before this revision an incremental `warmonitor link` lost both: a hidden incident (reports without an
event fact) was never stored, and an article without facts dropped out of its incident the next time the
incident was linked again. The upgrade fills `incident_articles` from `incident_facts` and marks the
articles that are in no stored incident unlinked, so that the next `warmonitor link` (or ingest) links
them again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-17
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of `incidents` on SQLite would drop the table, and its ON DELETE
    # CASCADE would empty incident_facts and link_refusals
    op.add_column("incidents", sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "incident_articles",
        sa.Column("incident_id", sa.Text(), nullable=False),
        sa.Column("article_id", KEY, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_incident_articles_incident_id_incidents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name=op.f("fk_incident_articles_article_id_articles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "article_id", name=op.f("pk_incident_articles")),
    )
    op.create_index(op.f("ix_incident_articles_article_id"), "incident_articles", ["article_id"])
    op.execute("INSERT INTO incident_articles (incident_id, article_id) "
               "SELECT DISTINCT incident_id, article_id FROM incident_facts")
    op.execute("DELETE FROM linked_articles WHERE article_id NOT IN (SELECT article_id FROM incident_articles)")


def downgrade() -> None:
    # 0005 keeps no hidden incident: drop them, and have their articles linked again
    hidden = "SELECT id FROM incidents WHERE hidden"
    op.execute(f"DELETE FROM linked_articles WHERE article_id IN "
               f"(SELECT article_id FROM incident_articles WHERE incident_id IN ({hidden}))")
    for table in ("incident_facts", "link_refusals", "incident_articles"):
        op.execute(f"DELETE FROM {table} WHERE incident_id IN ({hidden})")
    op.execute("DELETE FROM incidents WHERE hidden")
    op.drop_table("incident_articles")
    op.drop_column("incidents", "hidden")  # SQLite 3.35+: in place (no batch copy, see upgrade)
