"""incidents: linking's output (incidents, incident_facts, link_refusals, linked_articles) and the analysts'
merge and split decisions (incident_decisions)

Nothing is linked by the upgrade itself: a store upgraded from 0004 has all its articles unlinked, and
the next `warmonitor link` (or ingest) links them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("day_start", sa.Date(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("place_geonameid", sa.BigInteger(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("killed_low", sa.BigInteger(), nullable=True),
        sa.Column("killed_best", sa.BigInteger(), nullable=True),
        sa.Column("killed_high", sa.BigInteger(), nullable=True),
        sa.Column("injured_best", sa.BigInteger(), nullable=True),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("independent_sources", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index("ix_incidents_day", "incidents", ["day", "day_start"])
    op.create_index("ix_incidents_kind_day", "incidents", ["kind", "day"])
    op.create_index("ix_incidents_country_admin1", "incidents", ["country", "admin1"])
    op.create_index("ix_incidents_admin1_folded", "incidents", [sa.text("lower(admin1)")])
    op.create_index("ix_incidents_place_folded", "incidents", [sa.text("lower(place_name)")])
    op.create_index(op.f("ix_incidents_status"), "incidents", ["status"])

    op.create_table(
        "incident_facts",
        sa.Column("incident_id", sa.Text(), nullable=False),
        sa.Column("fact_id", KEY, nullable=False),
        sa.Column("article_id", KEY, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.Column("opened", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_incident_facts_incident_id_incidents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], name=op.f("fk_incident_facts_fact_id_facts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_incident_facts_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "fact_id", name=op.f("pk_incident_facts")),
    )
    op.create_index(op.f("ix_incident_facts_fact_id"), "incident_facts", ["fact_id"])
    op.create_index(op.f("ix_incident_facts_article_id"), "incident_facts", ["article_id"])

    op.create_table(
        "link_refusals",
        sa.Column("incident_id", sa.Text(), nullable=False),
        sa.Column("article_id", KEY, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_link_refusals_incident_id_incidents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_link_refusals_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "article_id", name=op.f("pk_link_refusals")),
    )
    op.create_index(op.f("ix_link_refusals_article_id"), "link_refusals", ["article_id"])

    op.create_table(
        "linked_articles",
        sa.Column("article_id", KEY, autoincrement=False, nullable=False),
        sa.Column("linked_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_linked_articles_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_linked_articles")),
    )

    op.create_table(
        "incident_decisions",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=True),
        sa.Column("at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_decisions")),
    )


def downgrade() -> None:
    op.drop_table("incident_decisions")
    op.drop_table("linked_articles")
    op.drop_table("link_refusals")
    op.drop_table("incident_facts")
    op.drop_table("incidents")  # its indexes go with it
