"""Alembic environment for warmonitor's store, run through `Store.upgrade()`; no alembic.ini is needed.

`Store` hands over an open connection in `config.attributes["connection"]`. Without one (writing a new
revision by hand) the URL is $WARMONITOR_DB or sqlite:///warmonitor.db, e.g. with the database at head:
    WARMONITOR_DB=dev.db python -c "from alembic import command; from warmonitor.store.engine import \
        alembic_config; command.revision(alembic_config(), 'what changed', autogenerate=True)"
"""
from __future__ import annotations

from alembic import context

from warmonitor.store.engine import VERSION_TABLE, make_engine, resolve_url
from warmonitor.store.schema import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = make_engine(resolve_url(url))
    with engine.begin() as connection:
        run_with(connection)


if context.is_offline_mode():
    context.configure(url=resolve_url(context.get_x_argument(as_dictionary=True).get("url")),
                      target_metadata=target_metadata, version_table=VERSION_TABLE, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
