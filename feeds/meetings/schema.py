"""The office database's tables: meetings, agenda, members, papers, polls with their ballots, speaking, sessions."""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, unit TEXT NOT NULL, starts REAL NOT NULL, ends REAL NOT NULL,
    place TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'planned', current_item INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '', created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_starts ON meetings(starts);
CREATE TABLE IF NOT EXISTS agenda (
    meeting TEXT NOT NULL REFERENCES meetings(id), position INTEGER NOT NULL, title TEXT NOT NULL,
    presenter TEXT NOT NULL DEFAULT '', minutes INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (meeting, position)
);
CREATE TABLE IF NOT EXISTS members (
    meeting TEXT NOT NULL REFERENCES meetings(id), name TEXT NOT NULL, display_name TEXT NOT NULL,
    role TEXT NOT NULL, presence TEXT NOT NULL DEFAULT 'unknown', absence_reason TEXT NOT NULL DEFAULT '',
    checked_in REAL NOT NULL DEFAULT 0, PRIMARY KEY (meeting, name)
);
CREATE TABLE IF NOT EXISTS papers (
    id TEXT PRIMARY KEY, meeting TEXT NOT NULL REFERENCES meetings(id), agenda_item INTEGER NOT NULL,
    title TEXT NOT NULL, filename TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    confidential INTEGER NOT NULL DEFAULT 0, rights TEXT NOT NULL, uploaded_by TEXT NOT NULL, uploaded REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS polls (
    id TEXT PRIMARY KEY, meeting TEXT NOT NULL REFERENCES meetings(id), agenda_item INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL, method TEXT NOT NULL, options TEXT NOT NULL, max_choices INTEGER NOT NULL,
    secret INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'created', opened REAL NOT NULL DEFAULT 0,
    closed REAL NOT NULL DEFAULT 0
);
-- Who has voted, apart from what was chosen. Both tables are WITHOUT ROWID and keyed so that their order says
-- nothing about the order of voting (voters sorted by name, ballots by a random token), and neither has a time:
-- in a secret poll no query can join a voter to a choice.
CREATE TABLE IF NOT EXISTS poll_voters (
    poll TEXT NOT NULL REFERENCES polls(id), voter TEXT NOT NULL,
    ballot_digest TEXT NOT NULL,   -- SHA-256 of the tablet's ballot id: a ballot sent again is known
    PRIMARY KEY (poll, voter)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS poll_ballots (
    poll TEXT NOT NULL REFERENCES polls(id), token TEXT NOT NULL,
    voter TEXT,                    -- named polls only; NULL in a secret poll
    choice TEXT NOT NULL,          -- JSON list of option indexes (empty: abstained from a choice poll)
    PRIMARY KEY (poll, token)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS results (
    poll TEXT PRIMARY KEY REFERENCES polls(id), record TEXT NOT NULL, signature TEXT NOT NULL, key TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS results_no_update BEFORE UPDATE ON results
    BEGIN SELECT RAISE(ABORT, 'a signed result is never changed'); END;
-- Documents the service issued and signed (minutes of a meeting, resolution of a poll); files under issued/.
CREATE TABLE IF NOT EXISTS issued (
    id TEXT PRIMARY KEY, meeting TEXT NOT NULL REFERENCES meetings(id), kind TEXT NOT NULL, poll TEXT,
    title TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, signed_by TEXT NOT NULL, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS speaking (
    meeting TEXT NOT NULL REFERENCES meetings(id), name TEXT NOT NULL, display_name TEXT NOT NULL,
    requested REAL NOT NULL, granted REAL NOT NULL DEFAULT 0, ended REAL NOT NULL DEFAULT 0,
    limit_s INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (meeting, name, requested)
);
-- Opinion forms (phiếu lấy ý kiến): draft → submitted → approved → sent → closed → concluded.
CREATE TABLE IF NOT EXISTS opinion_forms (
    id TEXT PRIMARY KEY, meeting TEXT NOT NULL REFERENCES meetings(id), paper TEXT, title TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft', deadline REAL NOT NULL, created_by TEXT NOT NULL,
    approved_by TEXT NOT NULL DEFAULT '', sent REAL NOT NULL DEFAULT 0, conclusion TEXT NOT NULL DEFAULT '',
    concluded_by TEXT NOT NULL DEFAULT '', created REAL NOT NULL,
    signed TEXT NOT NULL DEFAULT ''  -- the summary with the conclusion, signed (JSON), once concluded
);
CREATE TABLE IF NOT EXISTS opinion_questions (
    form TEXT NOT NULL REFERENCES opinion_forms(id), position INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (form, position)
);
CREATE TABLE IF NOT EXISTS opinion_recipients (
    form TEXT NOT NULL REFERENCES opinion_forms(id), member TEXT NOT NULL, display_name TEXT NOT NULL,
    PRIMARY KEY (form, member)
);
CREATE TABLE IF NOT EXISTS opinion_answers (
    form TEXT NOT NULL REFERENCES opinion_forms(id), member TEXT NOT NULL, position INTEGER NOT NULL,
    answer TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', answered REAL NOT NULL,
    PRIMARY KEY (form, member, position)
);
-- Reminders sent (or tried) per form, member, occasion and channel: each is sent once, retried until it goes.
CREATE TABLE IF NOT EXISTS opinion_reminders (
    form TEXT NOT NULL, member TEXT NOT NULL, occasion TEXT NOT NULL, channel TEXT NOT NULL,
    sent REAL NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (form, member, occasion, channel)
);
-- Each member's private marks over a paper, sealed with the service's at-rest key, given back to the author only.
CREATE TABLE IF NOT EXISTS annotations (
    paper TEXT NOT NULL REFERENCES papers(id), author TEXT NOT NULL, sealed BLOB NOT NULL, changed REAL NOT NULL,
    PRIMARY KEY (paper, author)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, unit TEXT NOT NULL,
    display_name TEXT NOT NULL, terminal TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
"""
