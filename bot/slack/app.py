"""Builds the Bolt app: one Web API client with retries, and every Slack surface registered on it.

Bolt acks each event before its listener runs (process_before_response=False), so slow work never
delays the ack. Slack re-sends events it thinks were lost; `answer_once` makes a retry, or the
same event reaching another replica, a no-op through a unique row in the shared database.
Commands, buttons, forms and shortcuts ack from their listeners, which run on threads that no slow
Web API call holds (see `listeners.py`): what they send Slack after the ack goes through
`after_ack`, as `respond` and `tell` do.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime import Services
from bot.slack.clients import error_code, make_client, one_try, retry_handlers, why_slack_failed
from bot.slack.ids import user_of
from bot.slack.invited import watch_invitations
from bot.slack.listeners import ListenerThreads, ScopeRequests, after_ack, request_age
from bot.slack.membership import SlackMembership
from bot.slack.pacing import ACKS
from bot.store.once import claim

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and I could not answer that. Please ask again in a few"
    " minutes. If it is urgent, ask a floorwalker or your superuser, or type `/golive contact`."
)
# Each module exposes register(app, services). Adding a surface is one line here.
SURFACES = (
    "bot.slack.commands",
    "bot.slack.answers",
    "bot.slack.issues",
    "bot.slack.home",
    "bot.slack.delivery",
    "bot.slack.status",
    "bot.slack.announcements",
    "bot.slack.fallback",  # last: it takes whatever no other surface did
)
# A trigger_id works for 3 s after Slack sent the request; it spent some of that getting here.
OPEN_WITHIN = 2.5
VIEWS_OPEN_TIMEOUT = 3  # seconds: Slack answers at once, or the trigger is gone by then
TOO_LATE_TO_OPEN = (
    "That took too long to reach me, so the form could not open. Please try again: it usually opens at once."
)
# Slack's response_urls are on hooks.slack.com (hooks.slack-gov.com for GovSlack), always https.
SLACK_DOMAINS = ("slack.com", "slack-gov.com")
_PLAIN_NETLOC = re.compile(r"[A-Za-z0-9.\-]+(?::[0-9]{1,5})?")  # no user@, no backslash or other tricks


def _origin(url: object) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of an http(s) URL written plainly; None for anything else."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _PLAIN_NETLOC.fullmatch(parts.netloc):
        return None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def is_slack_url(url: object, api_url: str | None = None) -> bool:
    """Whether the bot may post to `url`: https on Slack's own hosts, or the origin of SLACK_API_URL
    (`api_url`: a local fake Slack in tests). A signed payload is still only a payload: its
    response_url must not make the bot send a user's text, or an NHS number's removal notice, to a
    host someone else chose."""
    origin = _origin(url)
    if origin is None:
        return False
    scheme, host, port = origin
    if scheme == "https" and port in (None, 443) and any(host.endswith("." + d) for d in SLACK_DOMAINS):
        return True
    return api_url is not None and origin == _origin(api_url)


def respond(client: WebClient, response_url: object, **message: Any) -> bool:
    """Post to a response_url (ephemeral replies, replacing a clicked message) with the same retries,
    after the ack (`after_ack`); False, sending nothing, when it is not one of Slack's (see
    `is_slack_url`) nor on the Slack that `client` talks to."""
    if not is_slack_url(response_url, client.base_url):
        if response_url:
            log.warning("did not post to a response_url that is not on Slack")
        return False
    after_ack(partial(_post_to_response_url, str(response_url), message))
    return True


def _post_to_response_url(response_url: str, message: dict[str, Any]) -> None:
    sent = WebhookClient(response_url, retry_handlers=retry_handlers()).send_dict(message)
    if sent.status_code != 200:  # an expired response_url (after 30 minutes, or five uses) says 404
        log.warning("Slack did not take a reply to a response_url (HTTP %d)", sent.status_code)


def tell(client: WebClient, body: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
    """A private note to whoever clicked, used a shortcut or submitted a form, sent after the ack: below
    the message when Slack gave a response_url, else as a direct message (a global shortcut, a button
    in a modal or the App Home, a form's late answer)."""
    note = {"text": text, "blocks": blocks} if blocks else {"text": text}
    if respond(client, body.get("response_url"), response_type="ephemeral", replace_original=False, **note):
        return
    user = user_of(body)
    if not user:
        log.warning("could not tell a user something: the request had neither a response_url nor a user")
        return
    after_ack(partial(_direct_message, client, user, note))


def _direct_message(client: WebClient, user: str, note: dict[str, Any]) -> None:
    try:
        client.chat_postMessage(channel=user, **note)
    except (SlackApiError, OSError) as exc:
        log.warning("could not send a user a direct message (%s)", why_slack_failed(exc))


def open_view(client: WebClient, trigger_id: object, view: dict[str, Any], failed: str) -> str | None:
    """Open a modal from a listener, right after its ack; None when it opened, else what to tell the
    person (`failed`, or that Slack took too long). A trigger_id works for 3 s after Slack sent the
    request, so a request that reached the bot late is not tried, and the call is not retried after a
    Retry-After that would outlast the trigger."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return "Slack did not send what I need to open the form. Please try again."
    if request_age() > OPEN_WITHIN:
        log.warning("did not open a form: the request reached the bot %.1f s ago", request_age())
        return TOO_LATE_TO_OPEN
    # No retry: a retried call could reuse a trigger a lost answer had already spent on an open form.
    try:
        one_try(client, VIEWS_OPEN_TIMEOUT).views_open(trigger_id=trigger_id, view=view)
    except (SlackApiError, OSError) as exc:
        log.warning("could not open a form (%s)", why_slack_failed(exc))
        return failed
    return None


def answer_once(
    services: Services, body: dict[str, Any], reply: Callable[[], None], apologise: Callable[[str], None]
) -> None:
    """Run `reply` for the first delivery of an event only, across processes sharing the database.

    A retry that arrives while the first delivery is being answered is ignored. Slack sends an event
    again only when it was not acked in time, so the reply must not count on it: `reply` queues what
    Slack would not take. When the bot itself fails (its database, say), the person is told so through
    `apologise` rather than left waiting. Listeners call this after the ack. It lets pending acks go
    ahead first, on the listener's thread, so that in a burst Bolt's own work for later events waits
    too; the reply then runs on the app's reply threads (see `_reply_threads`).
    """
    ACKS.wait_for_quiet()
    services.run_reply(partial(_answer_first_delivery, services, body, reply, apologise))


def _answer_first_delivery(
    services: Services, body: dict[str, Any], reply: Callable[[], None], apologise: Callable[[str], None]
) -> None:
    try:
        if _first_delivery(services, event_key(body)):
            reply()
    except (SlackApiError, OSError) as exc:
        log.error("could not reply to event %s (%s)", body.get("event_id"), why_slack_failed(exc))
    except Exception:
        log.exception("could not answer event %s", body.get("event_id"))
        apologise(SORRY)


def _first_delivery(services: Services, key: str) -> bool:
    """Whether this delivery is the first; when the database cannot say (it is down or locked), the
    event is answered anyway: a rare second reply is better than a question met with silence."""
    try:
        return claim(services.db, key, services.clock.now())
    except SQLAlchemyError:
        log.exception("could not record event %s as answered; answering it anyway", key)
        return True


def event_key(body: dict[str, Any]) -> str:
    """What makes a delivery the same as another: a message's channel and timestamp, whichever event
    brings it (a direct message that mentions the bot comes as a message and as an app_mention, with
    two event ids, and is answered once); otherwise the event id, which Slack keeps on its retries."""
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    channel, ts = event.get("channel"), event.get("ts")
    if isinstance(channel, str) and isinstance(ts, str):
        return f"event:{channel[:40]}:{ts[:40]}"
    return f"event:{body.get('event_id')}"


class _TokenNotUnused(logging.Filter):
    """Bolt warns 'As you gave `client` as well, `token` will be unused' on every start where
    SLACK_BOT_TOKEN is set, since it reads the variable itself; the client the bot gives it is built from
    that same token, and an operator reading the warning would think the token ignored."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_BOLT_LOG = logging.getLogger("slack_bolt.App")  # where Bolt's App logs, unless given a logger
_BOLT_LOG.addFilter(_TokenNotUnused())


class TokenProblem(Exception):
    """Slack refused the bot token, or could not be asked about it: said so that the person can fix it."""


def build_app(services: Services, *, client: WebClient | None = None, check_token: bool = False) -> App:
    """The Bolt app with every surface registered. With `check_token` (serving Slack), the token is
    checked with Slack now (auth.test) and Bolt keeps the answer for every request; raises
    TokenProblem when Slack refuses it or cannot be reached. Without it (the console, tests that never
    serve), Bolt would ask on the first request."""
    settings = services.settings
    client = client or make_client(settings)
    threads = ListenerThreads()
    try:
        app = App(
            client=client,
            signing_secret=settings.slack_signing_secret,
            request_verification_enabled=settings.slack_signing_secret is not None,
            process_before_response=False,
            token_verification_enabled=check_token,
            listener_executor=threads,
        )
    except BoltError as exc:  # from auth.test answering ok: false, or an HTTP error after the retries
        threads.shutdown(wait=False)
        raise TokenProblem(_refusal(exc.__context__)) from None
    except OSError as exc:
        threads.shutdown(wait=False)
        raise TokenProblem(f"could not reach Slack to check SLACK_BOT_TOKEN ({exc})") from None
    app.use(ScopeRequests(threads))
    # Closing the services stops the listeners first (they queue replies), then the reply threads.
    services.on_close.append(partial(threads.shutdown, wait=True))
    services.membership = SlackMembership(client, services.clock)
    if check_token:  # serving Slack: tell the operator of a channel the bot was never invited to
        watch_invitations(services, client)
    _reply_threads(services)
    for name in SURFACES:
        importlib.import_module(name).register(app, services)
    return app


def _refusal(error: BaseException | None) -> str:
    """Why auth.test failed, with Slack's error code and never the request (it holds the token)."""
    if not isinstance(error, SlackApiError):
        return "Slack refused SLACK_BOT_TOKEN"
    status = error.response.status_code
    code = error_code(error)
    if status == 429 or status >= 500:
        return f"Slack did not answer the check of SLACK_BOT_TOKEN (HTTP {status}); try again in a minute"
    return f"Slack refused SLACK_BOT_TOKEN ({code or 'unknown error'})"


def _reply_threads(services: Services) -> None:
    """Replies to events run on threads of their own, not Bolt's listener threads: the client waits out
    each of Slack's Retry-Afters, and a reply held up so would hold one of the five event listener
    threads while later events queue behind it. Here the replies queue instead, delayed while Slack
    limits them, never dropped; closing the services lets those queued finish."""
    threads = ThreadPoolExecutor(max_workers=5, thread_name_prefix="event-reply")  # as many as Bolt's
    services.run_reply = threads.submit
    services.on_close.append(partial(threads.shutdown, wait=True))
