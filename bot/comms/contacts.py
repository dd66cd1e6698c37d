"""Who to call right now: the config's support contacts filtered by phase, site and time of day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from bot.comms.phases import phase_at
from bot.config import Contact, OrgConfig


def contacts_now(org: OrgConfig, when: datetime, site: str | None = None) -> list[Contact]:
    """Contacts for this phase and local time; a contact with no sites covers every site."""
    phase = phase_at(org.golive, when)
    local = when.astimezone(org.timezone).time()
    return [
        c
        for c in org.contacts
        if phase in c.phases and _covers_site(c, site) and _within(local, c.start, c.end)
    ]


def unlisted_site(org: OrgConfig, site: str) -> bool:
    """Whether contacts are listed by site and none names this one: a typo, or a site with no contacts
    of its own, so only those covering every site are given."""
    sites = [s for c in org.contacts for s in c.sites]
    return bool(site.strip()) and bool(sites) and not _names(sites, site)


def unknown_sites(org: OrgConfig) -> list[tuple[Contact, str]]:
    """Each contact's site that names none of the locations, as staff asking for a location are matched
    against sites (whole names, any case); none when the config lists no locations to match."""
    if not org.locations:
        return []
    return [(c, s) for c in org.contacts for s in c.sites if not _names(org.locations, s)]


def _covers_site(contact: Contact, site: str | None) -> bool:
    return not contact.sites or site is None or _names(contact.sites, site)


def _names(sites: Iterable[str], site: str) -> bool:
    return site.strip().casefold() in {s.casefold() for s in sites}


def _within(now: time, start: time | None, end: time | None) -> bool:
    """Hours may run past midnight (21:00-07:00); no hours means around the clock."""
    if start is None or end is None or start == end:
        return True
    if start < end:
        return start <= now < end
    return now >= start or now < end


def format_contacts(contacts: list[Contact]) -> str:
    if not contacts:
        # Posted to staff ({contact_now}): what they can do, not what the config lacks (validate says that).
        return (
            "No support contact is listed for now: ask in the go-live channel or log it with `/golive issue`;"
            " if a patient is at risk, use your usual clinical escalation."
        )
    return "\n".join(f"• *{c.name}*{_for_sites(c)}: {c.how}" for c in contacts)


def _for_sites(contact: Contact) -> str:
    """Which sites a contact is for, so one listed beside the trust-wide ones is not phoned from another."""
    return f" ({', '.join(contact.sites)} only)" if contact.sites else ""
