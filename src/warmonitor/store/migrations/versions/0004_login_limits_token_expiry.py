"""failed logins (login_failures) and an expiry for every API token (api_tokens.expires_at)

Tokens made before this revision never expired; they now expire 90 days after the upgrade, so that
scripts keep working while their owners make new tokens (`warmonitor user tokens NAME` lists them).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
import datetime as dt
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)
OLD_TOKENS_LAST = dt.timedelta(days=90)


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_name_at", "login_failures", ["user_name", "at"])
    op.create_index("ix_login_failures_address_at", "login_failures", ["address", "at"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", WHEN, nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", WHEN))
    op.get_bind().execute(tokens.update().values(expires_at=dt.datetime.now(dt.timezone.utc) + OLD_TOKENS_LAST))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=WHEN, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    op.drop_index("ix_login_failures_address_at", table_name="login_failures")
    op.drop_index("ix_login_failures_name_at", table_name="login_failures")
    op.drop_table("login_failures")
