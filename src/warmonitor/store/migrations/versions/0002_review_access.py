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
        batch.add_column(sa.Column("day_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("span_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    # The dashboard's queries (bench/api_load.py): by day, measure timelines, sorts, folded names.
    # Every index is paid for on each insert (bench/ingest_speed.py): the ";"-joined name columns are
    # searched with LIKE '%;name;%', which their indexes never served.
    for old in ("ix_facts_type_period_start", "ix_facts_type_date", "ix_facts_admin1", "ix_facts_actors",
                "ix_facts_claimants"):
        op.drop_index(old, table_name="facts")
    op.create_index("ix_facts_day", "facts", ["day", "day_start", "count_best", "confidence"])
    op.create_index("ix_facts_type_day", "facts", ["type", "day", "day_start", "count_best", "confidence"])
    op.create_index("ix_facts_measure", "facts", ["type", "outcome", "day", "count_best", "article_id", "span_days",
                                                  "review_state", "admin1", "country"])
    op.create_index(op.f("ix_facts_count_best"), "facts", ["count_best"])
    op.create_index(op.f("ix_facts_confidence"), "facts", ["confidence"])
    op.create_index("ix_facts_admin1_folded", "facts", [sa.text("lower(admin1)")])
    op.create_index("ix_facts_reviewed", "facts", ["review_state"], sqlite_where=sa.text("review_state IS NOT NULL"),
                    postgresql_where=sa.text("review_state IS NOT NULL"))
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
    state = op.create_table(
        "store_state",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_store_state")),
    )
    op.bulk_insert(state, [{"name": "facts", "value": 0}])
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
    """Keys and derived columns for the facts stored before this revision, article by article
    (as `rows.stored_values` makes them)."""
    import datetime as dt

    from warmonitor.store.rows import fact_derived, fact_keys

    bind = op.get_bind()
    facts = sa.table("facts", sa.column("id"), sa.column("article_id"), sa.column("record", sa.JSON()),
                     sa.column("fact_key"), sa.column("day", sa.Date()), sa.column("day_start", sa.Date()),
                     sa.column("span_days"), sa.column("search_text"))
    articles = sa.table("articles", sa.column("id"), sa.column("published", sa.Date()))
    by_article: dict[int, list] = {}
    query = (sa.select(facts.c.id, facts.c.article_id, facts.c.record, articles.c.published)
             .join(articles, articles.c.id == facts.c.article_id).order_by(facts.c.id))
    for row in bind.execute(query):
        by_article.setdefault(row.article_id, []).append(row)
    updates = []
    for rows in by_article.values():
        for row, key in zip(rows, fact_keys([r.record for r in rows])):
            day, start, span, search = fact_derived(row.record, row.published)
            updates.append({"fid": row.id, "key": key, "fday": dt.date.fromisoformat(day) if day else None,
                            "fstart": dt.date.fromisoformat(start) if start else None, "span": span,
                            "search": search})
    if updates:
        bind.execute(facts.update().where(facts.c.id == sa.bindparam("fid"))
                     .values(fact_key=sa.bindparam("key"), day=sa.bindparam("fday"), day_start=sa.bindparam("fstart"),
                             span_days=sa.bindparam("span"), search_text=sa.bindparam("search")),
                     updates)


def downgrade() -> None:
    for table in ("sessions", "api_tokens", "users", "store_state", "reviews"):
        op.drop_table(table)
    for index in ("ix_facts_reviewed", "ix_facts_day", "ix_facts_type_day", "ix_facts_measure",
                  "ix_facts_count_best", "ix_facts_confidence", "ix_facts_admin1_folded"):
        op.drop_index(index, table_name="facts")
    op.create_index("ix_facts_admin1", "facts", ["admin1"])
    op.create_index("ix_facts_actors", "facts", ["actors"])
    op.create_index("ix_facts_claimants", "facts", ["claimants"])
    op.create_index("ix_facts_type_date", "facts", ["type", "date"])
    op.create_index("ix_facts_type_period_start", "facts", ["type", "period_start"])
    with op.batch_alter_table("facts") as batch:
        for column in ("search_text", "span_days", "day_start", "day"):
            batch.drop_column(column)
        batch.drop_column("review_state")
        batch.drop_column("fact_key")
