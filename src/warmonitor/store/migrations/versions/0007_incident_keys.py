"""incident_keys: the keys each incident is filed under in the linker's candidate index

An incremental `warmonitor link` (and ingest) looks its new articles' keys up here and replays only the
incidents that share one, instead of every incident of a week around them. Incidents stored before this
revision have no keys yet: they are still found by day and place (store/incidents.py, `_near`) until
`warmonitor link --rebuild` or the next run that links them again writes their keys.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-20
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "incident_keys",
        sa.Column("incident_id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("day", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_incident_keys_incident_id_incidents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "key", "day", name=op.f("pk_incident_keys")),
    )
    op.create_index("ix_incident_keys_key_day", "incident_keys", ["key", "day"])


def downgrade() -> None:
    op.drop_index("ix_incident_keys_key_day", table_name="incident_keys")
    op.drop_table("incident_keys")
