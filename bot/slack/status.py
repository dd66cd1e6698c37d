"""`/golive status` (phase, days to go or in, open issues) and `/golive contact [site]` (who to call now)."""

from __future__ import annotations

from slack_bolt import App

from bot.comms.contacts import format_contacts, unlisted_site
from bot.comms.service import Status
from bot.markup import escape
from bot.runtime import Services
from bot.slack.blocks import MESSAGE_SECTIONS, sections, text_section
from bot.slack.commands import Invocation, add_subcommand
from bot.slack.issue_blocks import channel_link


def register(app: App, services: Services) -> None:
    def status(invocation: Invocation) -> None:
        text = status_text(services.comms.status(), services.settings.org.system_name)
        invocation.reply(text, [text_section(text)])

    def contact(invocation: Invocation) -> None:
        text = contact_text(services, invocation.text)
        invocation.reply(text, sections(text, MESSAGE_SECTIONS))  # as many contacts as a reply can hold

    add_subcommand(
        app, "status", status, "where the go-live stands: phase, days, open issues", takes_text=False
    )
    add_subcommand(app, "contact", contact, "[site] who to call right now")


def status_text(status: Status, system: str) -> str:
    position = status.position
    counts = status.open_by_severity
    open_line = ", ".join(f"{severity} {n}" for severity, n in counts.items())
    return (
        f"*Go-live of {system}*: {position.phase_name} phase. {position.describe()}\n"
        f"Open issues: {sum(counts.values())} ({open_line})."
    )


def contact_text(services: Services, site: str) -> str:
    """Who to call now, for the site the person typed (cleaned: it is echoed back)."""
    where = services.redactor.clean(site.strip()[:100])
    contacts = services.comms.contacts(where or None)
    found = format_contacts(contacts) if contacts else _no_contact(services)
    if unlisted_site(services.settings.org, where):
        return f"*Who to call now* (none is listed for {escape(where)} in particular):\n{found}"
    return f"*Who to call now{' for ' + escape(where) if where else ''}:*\n{found}"


def _no_contact(services: Services) -> str:
    """Whoever asks is looking for help, not able to edit the config: say where help is instead."""
    triage = channel_link(services.settings.org.channels.triage)
    return (
        f"No support contact is listed for now. Ask the support team in {triage}, or log it with "
        "`/golive issue` so it is tracked. If a patient is at risk, use your usual clinical escalation "
        "(your nurse in charge or bleep holder) now; do not wait for a reply here."
    )
