"""articles, facts, places, actors

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("article_key", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    for column in ("article_key", "canonical_url", "content_hash", "is_current"):
        op.create_index(op.f(f"ix_articles_{column}"), "articles", [column])

    op.create_table(
        "facts",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("article_id", KEY, nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("count_low", sa.BigInteger(), nullable=True),
        sa.Column("count_best", sa.BigInteger(), nullable=True),
        sa.Column("count_high", sa.BigInteger(), nullable=True),
        sa.Column("qualifier", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("victims", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("place_geonameid", sa.BigInteger(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("actors", sa.Text(), nullable=True),
        sa.Column("claimants", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("rule", sa.Text(), nullable=True),
        sa.Column("extractor_version", sa.Text(), nullable=True),
        sa.Column("evidence_start", sa.Integer(), nullable=True),
        sa.Column("evidence_end", sa.Integer(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_facts_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facts")),
    )
    for column in ("actors", "admin1", "article_id", "claimants", "country"):
        op.create_index(op.f(f"ix_facts_{column}"), "facts", [column])
    op.create_index("ix_facts_type_date", "facts", ["type", "date"])
    op.create_index("ix_facts_type_period_start", "facts", ["type", "period_start"])

    op.create_table(
        "places",
        sa.Column("geonameid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("geonameid", name=op.f("pk_places")),
    )
    op.create_table(
        "actors",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_actors")),
    )


def downgrade() -> None:
    op.drop_table("actors")
    op.drop_table("places")
    op.drop_table("facts")  # its indexes go with it
    op.drop_table("articles")
