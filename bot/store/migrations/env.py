"""Alembic environment: the bot hands over its own connection, so migrations run in-process; a database
at a revision these scripts lack (a newer version's) is refused before anything runs."""

from alembic import context

from bot.store.database import UnknownSchema

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
known = {script.revision for script in context.script.walk_revisions()}
unknown = sorted(set(context.get_context().get_current_heads()) - known)
if unknown:
    raise UnknownSchema(", ".join(unknown))
with context.begin_transaction():
    context.run_migrations()
