"""Voting through the real office service process: eligibility, once only, offline tablets, close, restart."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from feeds.meetings.ballot_box import BallotBox, BallotState
from feeds.meetings.client import OfficeClient, OfficeRefused
from tests.feeds.meetings.conftest import MEMBERS, make_meeting
from tests.support.office import OfficeProcess
from tests.support.proxy import CuttableProxy
from tests.support.waiting import wait_until


def _in_session(tablets, members=MEMBERS, present=("chutich", "pct1", "pct2", "giamdoc")):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, members)
    chair = tablets("chutich")
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
    for name in present:
        (chair if name == "chutich" else tablets(name)).call("POST", f"/meetings/{meeting}/attendance",
                                                             {"presence": "in_room"})
    return secretary, chair, meeting


def _poll(chair: OfficeClient, meeting: str, **kind) -> str:
    body = {"title": "Thông qua kế hoạch", "method": "yes_no_abstain", "agenda_item": 2, **kind}
    poll = chair.call("POST", f"/meetings/{meeting}/polls", body)["id"]
    chair.call("POST", f"/polls/{poll}/open")
    return str(poll)


def _ballot(client: OfficeClient, poll: str, choice: list[int], ballot: str | None = None) -> dict:
    return client.call("POST", f"/polls/{poll}/ballots", {"ballot": ballot or uuid.uuid4().hex, "choice": choice})


def test_a_vote_counts_each_member_once_and_refuses_who_may_not_vote(tablets):
    _, chair, meeting = _in_session(tablets, present=("chutich", "pct1", "pct2"))
    poll = _poll(chair, meeting)
    pct1, pct2, giamdoc, guest = tablets("pct1"), tablets("pct2"), tablets("giamdoc"), tablets("trucban")
    ballot = uuid.uuid4().hex
    answers = [_ballot(pct1, poll, [0], ballot) for _ in range(50)]  # the same ballot, sent 50 times
    assert answers[0]["counted"] and not answers[0]["duplicate"]
    assert all(a["counted"] and a["duplicate"] for a in answers[1:])
    with pytest.raises(OfficeRefused) as again:  # another ballot from the same member
        _ballot(pct1, poll, [1])
    assert again.value.status == 409 and again.value.body["reason"] == "already_voted"
    _ballot(pct2, poll, [1])
    _ballot(chair, poll, [0])
    with pytest.raises(OfficeRefused) as absent:  # a member who has not checked in
        _ballot(giamdoc, poll, [0])
    assert absent.value.body["reason"] == "not_present"
    assert "điểm danh" in absent.value.message_vi
    with pytest.raises(OfficeRefused) as role:  # a duty operator's role may not vote at all
        _ballot(guest, poll, [0])
    assert role.value.status == 403 and "role" in role.value.message_en
    with pytest.raises(OfficeRefused) as invalid:
        _ballot(pct2, poll, [0, 1])
    assert invalid.value.status == 409  # pct2 already voted: refused before the choice is looked at
    tally = chair.call("GET", f"/polls/{poll}/tally")["tally"]
    assert tally["counts"] == [2, 1, 0] and tally["ballots"] == 3 and tally["eligible"] == 3
    assert tally["members"] == 4


def test_only_the_chair_opens_and_closes_and_a_late_ballot_is_refused(tablets, office: OfficeProcess, tmp_path: Path):
    _, chair, meeting = _in_session(tablets)
    pct1, pct2 = tablets("pct1"), tablets("pct2")
    poll = chair.call("POST", f"/meetings/{meeting}/polls", {"title": "Thông qua", "method": "yes_no_abstain"})["id"]
    with pytest.raises(OfficeRefused) as not_open:
        _ballot(pct1, poll, [0])
    assert not_open.value.body["reason"] == "poll_not_open"
    with pytest.raises(OfficeRefused) as member_opens:
        pct1.call("POST", f"/polls/{poll}/open")
    assert member_opens.value.status == 403 and "chair" in member_opens.value.message_en
    chair.call("POST", f"/polls/{poll}/open")
    _ballot(pct1, poll, [0])
    signed = chair.call("POST", f"/polls/{poll}/close")
    assert signed["record"]["tally"]["counts"] == [1, 0, 0]
    assert signed["record"]["named"] == [{"name": "pct1", "choice": [0]}]
    with pytest.raises(OfficeRefused) as late:
        _ballot(pct2, poll, [1])
    assert late.value.body["reason"] == "poll_closed"
    assert "kết thúc" in late.value.message_vi and "closed" in late.value.message_en
    assert chair.call("GET", f"/polls/{poll}/tally")["tally"]["counts"] == [1, 0, 0]
    # the result verifies with the service's key; any change to it does not
    result = tmp_path / "result.json"
    result.write_text(json.dumps(chair.call("GET", f"/polls/{poll}/result"), ensure_ascii=False))
    verify = [sys.executable, "-m", "desktop.commands.cli", "office", "verify", "--db", str(office.db)]
    ok = subprocess.run([*verify, str(result)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    changed = json.loads(result.read_text())
    changed["record"]["tally"]["counts"] = [0, 1, 0]
    result.write_text(json.dumps(changed))
    bad = subprocess.run([*verify, str(result)], capture_output=True, text=True)
    assert bad.returncode == 1 and "INVALID" in bad.stdout
    # with no key to trust it says so instead of trusting the key the record carries
    untrusted = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "office", "verify", "--db",
                                str(tmp_path / "elsewhere" / "office.sqlite"), str(result)], capture_output=True,
                               text=True)
    assert untrusted.returncode == 1 and "no key to trust" in untrusted.stderr
    missing = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "office", "verify", "--key",
                              str(tmp_path / "typo.pub"), str(result)], capture_output=True, text=True)
    assert missing.returncode == 2


def test_an_offline_tablet_keeps_its_ballot_and_is_counted_once_when_back(tablets, office: OfficeProcess,
                                                                         tmp_path: Path):
    _, chair, meeting = _in_session(tablets)
    poll = _poll(chair, meeting)
    proxy = CuttableProxy(office.port)
    try:
        tablet = tablets("pct1", proxy.url)
        box = BallotBox(tmp_path / "tablet" / "ballots.sqlite", tablet, "pct1")
        proxy.cut()
        kept = box.vote(poll, [0])
        assert kept.state is BallotState.PENDING
        assert kept.text("vi") == "Chưa được ghi nhận" and kept.text("en") == "Not yet counted"
        assert chair.call("GET", f"/polls/{poll}/tally")["tally"]["ballots"] == 0
        # back, but the answer to the first try is lost on the way: the service counted it, the tablet does not know
        proxy.restore()
        proxy.drop_answers = True
        assert box.flush()[0].state is BallotState.PENDING
        wait_until(lambda: chair.call("GET", f"/polls/{poll}/tally")["tally"]["ballots"] == 1, 10, "the ballot")
        proxy.restore()
        counted = box.flush()
        assert counted == [] or counted[0].state is BallotState.COUNTED
        assert box.ballot(poll).state is BallotState.COUNTED
        assert box.ballot(poll).choice is None  # the tablet no longer keeps what it chose
        assert box.vote(poll, [1]).state is BallotState.COUNTED  # voting again changes nothing
        assert chair.call("GET", f"/polls/{poll}/tally")["tally"]["counts"] == [1, 0, 0]
        box.close()
    finally:
        proxy.close()


def test_a_ballot_kept_offline_past_the_close_is_refused_visibly(tablets, office: OfficeProcess, tmp_path: Path):
    _, chair, meeting = _in_session(tablets)
    poll = _poll(chair, meeting)
    proxy = CuttableProxy(office.port)
    try:
        box = BallotBox(tmp_path / "ballots.sqlite", tablets("pct2", proxy.url), "pct2")
        proxy.cut()
        assert box.vote(poll, [2]).state is BallotState.PENDING
        chair.call("POST", f"/polls/{poll}/close")
        proxy.restore()
        refused = box.flush()[0]
        assert refused.state is BallotState.REFUSED and refused.reason == "poll_closed"
        assert refused.text("vi").startswith("Không được ghi nhận: Biểu quyết đã kết thúc")
        assert refused.choice == (2,)  # the member can still see what was not counted
        box.close()
    finally:
        proxy.close()


def test_a_secret_poll_keeps_no_link_between_voter_and_choice(tablets, office: OfficeProcess):
    _, chair, meeting = _in_session(tablets)
    poll = _poll(chair, meeting, method="choice", options=["Nghi Sơn", "Hạc Thành", "Sầm Sơn"], max_choices=2,
                 secret=True)
    for name, choice in (("pct1", [0, 2]), ("pct2", [1]), ("giamdoc", [0])):
        _ballot(tablets(name), poll, choice)
    with pytest.raises(OfficeRefused) as too_many:
        _ballot(chair, poll, [0, 1, 2])
    assert too_many.value.body["reason"] == "invalid_choice" and "at most 2" in too_many.value.message_en
    signed = chair.call("POST", f"/polls/{poll}/close")
    assert signed["record"]["tally"]["counts"] == [2, 1, 1] and signed["record"]["named"] == []
    assert signed["record"]["voters"] == ["giamdoc", "pct1", "pct2"]
    db = sqlite3.connect(f"file:{office.db}?mode=ro", uri=True)
    try:
        columns = {r[1] for r in db.execute("PRAGMA table_info(poll_ballots)")}
        assert columns == {"poll", "token", "voter", "choice"}
        assert db.execute("SELECT COUNT(*) FROM poll_ballots WHERE poll = ? AND voter IS NOT NULL",
                          (poll,)).fetchone()[0] == 0
        voter_columns = {r[1] for r in db.execute("PRAGMA table_info(poll_voters)")}
        assert voter_columns == {"poll", "voter", "ballot_digest"}  # no choice, no time, no token
        # no implicit order either: both tables are WITHOUT ROWID (rowid order would follow the voting order)
        for table in ("poll_ballots", "poll_voters"):
            with pytest.raises(sqlite3.OperationalError):
                db.execute(f"SELECT rowid FROM {table}")
    finally:
        db.close()
    audit = sqlite3.connect(f"file:{office.identity_db}?mode=ro", uri=True)
    try:
        entries = audit.execute("SELECT detail FROM audit WHERE action = 'poll.ballot' AND target LIKE ?",
                                (f"% {poll}",)).fetchall()
        assert len(entries) == 4 and not any("[" in d for (d,) in entries)  # who sent a ballot, never the choice
    finally:
        audit.close()


def test_the_service_killed_in_the_middle_of_a_vote_restarts_with_the_tally(tablets, office: OfficeProcess):
    _, chair, meeting = _in_session(tablets)
    poll = _poll(chair, meeting)
    pct1 = tablets("pct1")
    ballot = uuid.uuid4().hex
    _ballot(pct1, poll, [0], ballot)
    _ballot(tablets("pct2"), poll, [1])
    office.kill()
    office.start()
    assert chair.call("GET", f"/polls/{poll}/tally")["tally"]["counts"] == [1, 1, 0]  # sessions survive too
    assert _ballot(pct1, poll, [0], ballot)["duplicate"]  # the tablet's resend after the restart: once
    _ballot(tablets("giamdoc"), poll, [2])
    assert chair.call("POST", f"/polls/{poll}/close")["record"]["tally"]["counts"] == [1, 1, 1]


def test_a_revoked_tablet_keeps_its_ballot_and_is_told_to_sign_in_again(tablets, tmp_path: Path):
    _, chair, meeting = _in_session(tablets)
    poll = _poll(chair, meeting)
    tablet = tablets("pct1")
    box = BallotBox(tmp_path / "ballots.sqlite", tablet, "pct1")
    tablets("quantri").call("DELETE", "/devices/tablet-pct1")
    with pytest.raises(OfficeRefused) as revoked:
        box.vote(poll, [0])
    assert revoked.value.status == 401
    assert box.ballot(poll).state is BallotState.PENDING  # kept, sent after the next sign-in
    tablet.sign_in("pct1", "mat-khau-hop", "tablet-pct1")
    assert box.flush()[0].state is BallotState.COUNTED
    box.close()
