"""Whether the bot has been invited to the channels it posts in, asked of Slack before a post is due.

A channel the bot is not in is found on the day otherwise: the post goes to its fallback with a note,
after the ward or the command centre has gone without it. Slack refuses a bot a read of a channel it
is not in, so reading one message (the history scopes the bot has for its outbox) answers the question.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.comms.schedules import resolve_channel
from bot.runtime import Services
from bot.slack.clients import error_code

log = logging.getLogger(__name__)
_NOT_A_MEMBER = (
    "not_in_channel",
    "channel_not_found",
)  # what Slack answers a bot reading a channel it is not in
_EVERY = 6 * 3600  # someone may remove the bot from a channel while it runs


def not_a_member(client: WebClient, channel: str) -> bool:
    """Whether Slack refuses the bot a read of the channel as not in it; False when it cannot tell (Slack
    slow or down, or a #name, which Slack's reads do not take), as nothing must wait on the check."""
    if not channel.startswith(("C", "G")):
        return False
    try:
        client.conversations_history(channel=channel, limit=1)
    except SlackApiError as exc:
        return error_code(exc) in _NOT_A_MEMBER
    except Exception:
        log.warning("could not check whether the bot is in %s", channel, exc_info=True)
    return False


def check_invited(services: Services, client: WebClient) -> None:
    """Log each channel of the config and of the plan's posts that the bot has not been invited to, for
    the operator to invite it (README, 'Creating the Slack app', step 4)."""
    org = services.settings.org
    named = {value for value in vars(org.channels).values() if isinstance(value, str)}
    planned = {resolve_channel(c, org) for a in services.comms.active() for c in a.channels}
    for channel in sorted(named | planned):
        if not_a_member(client, channel):
            log.warning(
                "the bot is not in channel %s, which the config or the plan posts in: invite it there"
                " (/invite @golive); until then what it posts there goes to its fallback with a note",
                channel,
            )


def watch_invitations(services: Services, client: WebClient) -> None:
    """Check when serving starts, then now and again."""
    services.background.every(_EVERY, "invitations", lambda: check_invited(services, client))
