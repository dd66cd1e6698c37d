"""Whether the database answers, for the health check a load balancer polls."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.store.database import Database

log = logging.getLogger(__name__)


def reachable(db: Database) -> bool:
    try:
        with db.session() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.error("health check: database unreachable (%s)", type(exc).__name__)
        return False
    return True
