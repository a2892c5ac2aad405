"""The tablet's ballots: kept on the tablet until the service has answered, sent again until it does.

A ballot gets its id here, once; sending it again (after a cut connection, a restart of the tablet or of the
service) is answered as counted without counting it twice. Until the service answers, the ballot is shown
as "chưa được ghi nhận / not yet counted". Once counted, the tablet forgets the choice and keeps the state."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from feeds.meetings.client import OfficeClient, OfficeRefused, OfficeUnavailable
from feeds.store.authority import open_authority

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS ballots (
    poll TEXT NOT NULL, voter TEXT NOT NULL, ballot TEXT NOT NULL, choice TEXT, state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', message_vi TEXT NOT NULL DEFAULT '', message_en TEXT NOT NULL DEFAULT '',
    made REAL NOT NULL, answered REAL NOT NULL DEFAULT 0, PRIMARY KEY (poll, voter)
);
"""


class BallotState(str, Enum):
    PENDING = "pending"
    COUNTED = "counted"
    REFUSED = "refused"


STATE_TEXT = {
    BallotState.PENDING: ("Chưa được ghi nhận", "Not yet counted"),
    BallotState.COUNTED: ("Đã ghi nhận", "Counted"),
    BallotState.REFUSED: ("Không được ghi nhận", "Not counted"),
}


@dataclass(frozen=True)
class TabletBallot:
    poll: str
    ballot: str
    state: BallotState
    choice: tuple[int, ...] | None  # None once counted (the tablet does not keep what was chosen)
    reason: str = ""
    message_vi: str = ""
    message_en: str = ""

    def text(self, language: str) -> str:
        vi, en = STATE_TEXT[self.state]
        detail = self.message_vi if language == "vi" else self.message_en
        label = vi if language == "vi" else en
        return f"{label}: {detail}" if detail and self.state is BallotState.REFUSED else label


class BallotBox:
    def __init__(self, path: Path, client: OfficeClient, voter: str) -> None:
        self.conn = open_authority(path, SCHEMA, 1, "ballot box")
        self.client = client
        self.voter = voter
        self.lock = threading.Lock()

    def close(self) -> None:
        self.conn.close()

    def vote(self, poll: str, choice: Sequence[int]) -> TabletBallot:
        """Keep the ballot, then try to send it; an earlier ballot of this poll is sent again instead."""
        existing = self.ballot(poll)
        if existing is not None and existing.state is not BallotState.REFUSED:
            return self.send(existing) if existing.state is BallotState.PENDING else existing
        ballot = uuid.uuid4().hex
        with self.lock:
            self.conn.execute("INSERT OR REPLACE INTO ballots (poll, voter, ballot, choice, state, made) "
                              "VALUES (?,?,?,?,?,?)", (poll, self.voter, ballot, json.dumps(list(choice)),
                                                       BallotState.PENDING.value, time.time()))
        pending = self.ballot(poll)
        assert pending is not None
        return self.send(pending)

    def send(self, ballot: TabletBallot) -> TabletBallot:
        if ballot.state is not BallotState.PENDING or ballot.choice is None:
            return ballot
        try:
            self.client.call("POST", f"/polls/{ballot.poll}/ballots",
                             {"ballot": ballot.ballot, "choice": list(ballot.choice)})
        except OfficeUnavailable as exc:
            log.warning("ballot %s for poll %s not yet counted: %s", ballot.ballot, ballot.poll, exc)
            return ballot
        except OfficeRefused as refused:
            body = refused.body if isinstance(refused.body, dict) else {}
            if refused.status == 401:  # signed out or revoked: the ballot waits; the caller drops its keys
                raise
            self._answer(ballot, BallotState.REFUSED, str(body.get("reason") or refused.code),
                         refused.message_vi, refused.message_en)
        else:
            self._answer(ballot, BallotState.COUNTED)
        found = self.ballot(ballot.poll)
        assert found is not None
        return found

    def _answer(self, ballot: TabletBallot, state: BallotState, reason: str = "", vi: str = "", en: str = "") -> None:
        with self.lock:
            # counted: the choice is forgotten; refused: kept, so the member sees what was not counted
            self.conn.execute("UPDATE ballots SET state = ?, reason = ?, message_vi = ?, message_en = ?, "
                              "answered = ?, choice = CASE WHEN ? = 'counted' THEN NULL ELSE choice END "
                              "WHERE poll = ? AND voter = ? AND ballot = ?",
                              (state.value, reason, vi, en, time.time(), state.value, ballot.poll, self.voter,
                               ballot.ballot))

    def flush(self) -> list[TabletBallot]:
        """Send every ballot still waiting (after the connection is back); what each one is now."""
        return [self.send(b) for b in self.pending()]

    def pending(self) -> list[TabletBallot]:
        with self.lock:
            polls = [r[0] for r in self.conn.execute("SELECT poll FROM ballots WHERE voter = ? AND state = ? "
                                                     "ORDER BY made", (self.voter, BallotState.PENDING.value))]
        return [b for p in polls if (b := self.ballot(p)) is not None]

    def ballot(self, poll: str) -> TabletBallot | None:
        with self.lock:
            row = self.conn.execute("SELECT ballot, state, choice, reason, message_vi, message_en FROM ballots "
                                    "WHERE poll = ? AND voter = ?", (poll, self.voter)).fetchone()
        if row is None:
            return None
        choice = tuple(json.loads(row[2])) if row[2] is not None else None
        return TabletBallot(poll, row[0], BallotState(row[1]), choice, row[3], row[4], row[5])
