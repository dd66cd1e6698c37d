"""`golive-bot serve`: Slack traffic over HTTP (waitress), or over Socket Mode when SLACK_APP_TOKEN is set.

It refuses to start without the secrets it needs, checks the bot token with Slack before taking
traffic, runs the periodic work, and on SIGTERM or Ctrl-C finishes the requests in hand before exiting.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import time

from slack_sdk.errors import SlackApiError

from bot.cli.options import add_port_argument, whole_number
from bot.cli.validate import readiness_warnings
from bot.clock import SystemClock
from bot.config import Settings
from bot.privacy import url_without_secrets
from bot.runtime import Services, build_services, configure_logging
from bot.slack.app import TokenProblem
from bot.slack.server import HttpServer, start_health, start_http
from bot.slack.socket_mode import CheckedSocketModeHandler, socket_mode_handler
from bot.store.database import Database

log = logging.getLogger(__name__)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve Slack: HTTP on --port, or Socket Mode when SLACK_APP_TOKEN is set",
        description="The production process. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP: "
        "POST /slack/events, GET /healthz) or SLACK_APP_TOKEN (Socket Mode; GET /healthz alone when a "
        "port is given), and channels.triage in the config. SIGTERM or Ctrl-C stops it after the "
        "requests in hand.",
    )
    add_port_argument(p)
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default: 0.0.0.0)")
    p.add_argument(
        "--threads", type=whole_number(1, 256), default=8, metavar="N", help="HTTP worker threads (default 8)"
    )
    p.set_defaults(func=run, needs_knowledge=True)


def listen_port(args: argparse.Namespace) -> int | str:
    """--port, else $PORT (what hosting platforms set), else 3000; or what is wrong with $PORT."""
    if args.port is not None:
        return int(args.port)
    try:
        return whole_number(0, 65535)(os.environ.get("PORT") or "3000")
    except argparse.ArgumentTypeError:
        return (
            f"golive-bot serve cannot start: PORT is {os.environ.get('PORT')!r}; set it to a port number "
            "from 0 to 65535, or give --port N."
        )


def port_asked_for(args: argparse.Namespace) -> bool:
    """Whether --port or $PORT names a port: Socket Mode then answers the health check on it."""
    return args.port is not None or bool((os.environ.get("PORT") or "").strip())


def missing_settings(settings: Settings) -> str | None:
    """What is missing to serve Slack, said so that the person can fix it."""
    missing = []
    if not settings.slack_bot_token:
        missing.append("SLACK_BOT_TOKEN (the xoxb- token on your Slack app's 'OAuth & Permissions' page)")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        missing.append(
            "SLACK_SIGNING_SECRET (on the app's 'Basic Information' page), "
            "or SLACK_APP_TOKEN (an xapp- token) to use Socket Mode instead of HTTP"
        )
    if settings.slack_app_token and not settings.slack_app_token.startswith("xapp-"):
        missing.append(  # Slack would refuse it only after a connection attempt; never echo the value
            "SLACK_APP_TOKEN to the app-level token, which starts xapp- (the one set does not; a bot token "
            "starts xoxb- and goes in SLACK_BOT_TOKEN), made under 'Basic Information' > 'App-Level Tokens' "
            "with the connections:write scope"
        )
    if not settings.org.channels.triage:
        missing.append(
            "channels.triage in the config file (where logged issues go for the maintenance team; "
            f"the config in use is {settings.org.source})"
        )
    if not missing:
        return None
    return (
        "golive-bot serve cannot start: set " + " and ".join(missing) + ".\n"
        "See 'Creating the Slack app' in README.md. To try the bot without Slack, run: golive-bot console"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    port = listen_port(args)
    problem = missing_settings(settings) or (port if isinstance(port, str) else None)
    if problem or isinstance(port, str):
        print(problem, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.org.redactor(), settings.secrets)
    for library in ("slack_sdk", "slack_bolt"):  # at DEBUG they log message bodies
        logging.getLogger(library).setLevel(max(logging.INFO, logging.getLogger().level))
    for warning in readiness_warnings(settings, SystemClock().now()):
        log.warning("%s", warning)
    services = build_services(settings, watch=True)
    _log_database(services.db, settings.database_url)
    stop = StopSignal()
    try:
        host = getattr(args, "host", "0.0.0.0")
        if settings.slack_app_token:
            health = (host, port) if port_asked_for(args) else None
            return _socket_mode(services, settings.slack_app_token, stop, health)
        return _http(services, host, port, getattr(args, "threads", 8), stop)
    finally:
        services.close()


class StopSignal:
    """Set by SIGTERM or SIGINT. The handler runs in the main thread between two of its steps, maybe in
    the middle of a lock's work; so it only sets a flag, and takes no lock. One that set a threading.Event
    hung serve for good when a second signal came while the first was handled (`timeout` and a kill of
    the process group send two at once): the second waited for the lock the first held."""

    def __init__(self) -> None:
        self.received = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handle)

    def _handle(self, *_: object) -> None:
        self.received = True

    def wait(self) -> None:
        while not self.received:
            time.sleep(0.1)


def _log_database(db: Database, url: str) -> None:
    """Where the issues are kept: a restart from another folder starts a new SQLite file, which would
    otherwise be noticed only when staff find their issues gone and references GL-0001... reused."""
    if db.file is None:
        log.info("database: %s", url_without_secrets(url))
    elif db.new_file:
        log.warning("database: started a new, empty SQLite file %s. On a first start that is right; if the "
                    "bot has run before, its issues are in the golive.db of the folder it ran from: start it "
                    "there, or set DATABASE_URL to that file", db.file)  # fmt: skip
    else:
        log.info("database: the SQLite file %s", db.file)


def _http(services: Services, host: str, port: int, threads: int, stop: StopSignal) -> int:
    try:
        server = start_http(services, host, port, threads)  # takes the port, then checks the token
    except TokenProblem as exc:
        print(f"golive-bot serve cannot start: {exc}.", file=sys.stderr)
        return 2
    except OSError as exc:
        return _cannot_listen(host, port, exc)
    _freeze_startup_objects()
    services.background.start()
    log.info("serving Slack on http://%s:%d/slack/events (health: /healthz)", host, server.port)
    stop.wait()
    log.info("stopping: finishing requests in hand")
    services.background.stop()
    server.stop()
    return 0


def _cannot_listen(host: str, port: int, exc: OSError) -> int:
    print(f"golive-bot serve cannot start: cannot listen on {host}:{port} ({exc.strerror}); stop what "
          "is using it, or choose another --port.", file=sys.stderr)  # fmt: skip
    return 2


def _socket_mode(services: Services, app_token: str, stop: StopSignal, health: tuple[str, int] | None) -> int:
    """Socket Mode; with `health` (a port was asked for), /healthz is answered on it as well."""
    try:
        handler = socket_mode_handler(services, app_token)  # checks the token
    except TokenProblem as exc:
        print(f"golive-bot serve cannot start: {exc}.", file=sys.stderr)
        return 2
    server: HttpServer | None = None
    if health:
        try:
            server = start_health(services, *health)
        except OSError as exc:
            return _cannot_listen(*health, exc)
        log.info("answering the health check on http://%s:%d/healthz", health[0], server.port)
    try:
        return _connected(services, handler, stop)
    finally:
        if server:
            server.stop()


def _connected(services: Services, handler: CheckedSocketModeHandler, stop: StopSignal) -> int:
    try:
        handler.connect()
    except SlackApiError as exc:
        print(f"golive-bot serve cannot start: Slack refused SLACK_APP_TOKEN ({exc.response.get('error')}).",
              file=sys.stderr)  # fmt: skip
        return 2
    _freeze_startup_objects()
    services.background.start()
    log.info("connected to Slack in Socket Mode")
    stop.wait()
    services.background.stop()
    handler.close()
    return 0


def _freeze_startup_objects() -> None:
    """The knowledge base and libraries live as long as the process; taking them out of the garbage
    collector's sweeps stops full collections from stalling acks for tens of milliseconds."""
    gc.collect()
    gc.freeze()
