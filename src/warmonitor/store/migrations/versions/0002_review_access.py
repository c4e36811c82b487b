"""reviews (audit trail), users, API tokens, sessions; facts.fact_key and facts.review_state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("fact_key", sa.Text(), nullable=True))
        batch.add_column(sa.Column("review_state", sa.Text(), nullable=True))
        batch.add_column(sa.Column("day", sa.Date(), nullable=True))
        batch.add_column(sa.Column("span_days", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_facts_day"), "facts", ["day"])
    op.create_index(op.f("ix_facts_fact_key"), "facts", ["fact_key"])
    op.create_index(op.f("ix_facts_review_state"), "facts", ["review_state"])
    _fill_fact_keys()

    op.create_table(
        "reviews",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("fact_key", sa.Text(), nullable=False),
        sa.Column("article_key", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("original", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    for column in ("article_key", "fact_key", "user_name"):
        op.create_index(op.f(f"ix_reviews_{column}"), "reviews", [column])
    op.create_table(
        "users",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_used_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name=op.f("fk_api_tokens_user_name_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_name"), "api_tokens", ["user_name"])
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name=op.f("fk_sessions_user_name_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_user_name"), "sessions", ["user_name"])


def _fill_fact_keys() -> None:
    """Keys and days for the facts stored before this revision, article by article (`rows.stored_values`)."""
    import datetime as dt

    from warmonitor.store.rows import fact_keys, fact_time

    bind = op.get_bind()
    facts = sa.table("facts", sa.column("id"), sa.column("article_id"), sa.column("record", sa.JSON()),
                     sa.column("fact_key"), sa.column("day", sa.Date()), sa.column("span_days"))
    articles = sa.table("articles", sa.column("id"), sa.column("published", sa.Date()))
    by_article: dict[int, list] = {}
    query = (sa.select(facts.c.id, facts.c.article_id, facts.c.record, articles.c.published)
             .join(articles, articles.c.id == facts.c.article_id).order_by(facts.c.id))
    for row in bind.execute(query):
        by_article.setdefault(row.article_id, []).append(row)
    updates = []
    for rows in by_article.values():
        for row, key in zip(rows, fact_keys([r.record for r in rows])):
            day, span = fact_time(row.record, row.published)
            updates.append({"fid": row.id, "key": key, "fday": dt.date.fromisoformat(day) if day else None,
                            "span": span})
    if updates:
        bind.execute(facts.update().where(facts.c.id == sa.bindparam("fid"))
                     .values(fact_key=sa.bindparam("key"), day=sa.bindparam("fday"), span_days=sa.bindparam("span")),
                     updates)


def downgrade() -> None:
    for table in ("sessions", "api_tokens", "users", "reviews"):
        op.drop_table(table)
    op.drop_index(op.f("ix_facts_review_state"), table_name="facts")
    op.drop_index(op.f("ix_facts_fact_key"), table_name="facts")
    op.drop_index(op.f("ix_facts_day"), table_name="facts")
    with op.batch_alter_table("facts") as batch:
        batch.drop_column("span_days")
        batch.drop_column("day")
        batch.drop_column("review_state")
        batch.drop_column("fact_key")
