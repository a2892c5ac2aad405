"""The active speaker from Janus's talking events, with hysteresis so the layout does not flicker.

A participant becomes the speaker after talking for `hold_s` while nobody else holds the floor, or after
talking `switch_s` longer than the present speaker since they last spoke; the speaker stays until someone
else qualifies (silence alone never blanks the layout)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ActiveSpeaker:
    hold_s: float = 0.3  # talking this long makes a first speaker
    switch_s: float = 1.0  # another voice must talk this long to take over
    speaker: int | None = None
    _since: dict[int, float] = field(default_factory=dict)  # who is talking now, since when

    def talking(self, participant: int, now: float) -> int | None:
        """A `talking` event; the speaker afterwards."""
        self._since.setdefault(participant, now)
        return self.update(now)

    def stopped(self, participant: int, now: float) -> int | None:
        """A `stopped-talking` event (or the participant muted, or gone)."""
        self._since.pop(participant, None)
        return self.update(now)

    def left(self, participant: int, now: float) -> int | None:
        self._since.pop(participant, None)
        if self.speaker == participant:
            self.speaker = None
        return self.update(now)

    def update(self, now: float) -> int | None:
        """Who speaks at NOW (call it on a timer too: a voice qualifies by talking on, not by new events)."""
        candidates = [(since, who) for who, since in self._since.items() if who != self.speaker]
        if not candidates:
            return self.speaker
        since, who = min(candidates)
        needed = self.hold_s if self.speaker is None or self.speaker not in self._since else self.switch_s
        if now - since >= needed:
            self.speaker = who
        return self.speaker
