"""Sending a commune call's invitation through the alert domain's channels (the desktop wires the two)."""

from __future__ import annotations

from feeds.alerts.channels import Attempt, Channel, Message, send
from feeds.conference.commune_call import Invitation


def send_invitations(invite: Invitation, channels: dict[str, Channel]) -> list[tuple[str, Attempt | str]]:
    """Each channel the room names, tried once (the caller shows and audits the outcome); a name the alert
    configuration lacks is said so, not skipped in silence."""
    message = Message(invite.subject, invite.body, invite.short, invite.payload)
    outcomes: list[tuple[str, Attempt | str]] = []
    for name in invite.room.invite:
        channel = channels.get(name)
        if channel is None:
            outcomes.append((name, f"no channel {name} in [alerts.channels]"))
            continue
        recipients = tuple(getattr(channel, "to", ()) or getattr(channel, "numbers", ()) or ("webhook",))
        outcomes.append((name, send(channel, message, recipients)))
    return outcomes
