"""Minutes and resolutions signed as PAdES with the key in a PKCS#11 token (SoftHSM2), checked by `office verify`."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from feeds.meetings.client import OfficeRefused
from tests.feeds.meetings.conftest import MEMBERS, Tablets, make_meeting
from tests.support.office import OfficeProcess
from tests.support.softhsm import make_token


def _verify(office: OfficeProcess, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.commands.cli", "office", "verify", "--db", str(office.db),
                           str(path)], capture_output=True, text=True)


@pytest.fixture
def token_office(tmp_path: Path, monkeypatch, spec):
    token = make_token(tmp_path / "hsm")
    monkeypatch.setenv("CONTROLROOM_SECRET_OFFICE_TOKEN_PIN", token.pin)
    config = (f'[office.signing]\nmodule = "{token.module}"\ntoken_label = "{token.label}"\n'
              f'key_label = "{token.key_label}"\n')
    office = OfficeProcess(tmp_path / "office", office_config=config).start()
    tablets = Tablets(office, spec)
    yield office, tablets
    tablets.close()
    office.stop()


def test_minutes_and_resolution_are_signed_by_the_token_and_any_change_fails(token_office, tmp_path: Path):
    office, tablets = token_office
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS, title="Phiên họp ký số")
    chair = tablets("chutich")
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
    for name in ("chutich", "pct1", "pct2"):
        (chair if name == "chutich" else tablets(name)).call("POST", f"/meetings/{meeting}/attendance",
                                                             {"presence": "in_room"})
    secretary.call("PUT", f"/meetings/{meeting}/attendance/giamdoc", {"presence": "absent", "reason": "Ốm"})
    poll = chair.call("POST", f"/meetings/{meeting}/polls", {"title": "Thông qua kế hoạch phòng chống bão",
                                                             "method": "yes_no_abstain"})["id"]
    chair.call("POST", f"/polls/{poll}/open")
    for name, choice in (("chutich", 0), ("pct1", 0), ("pct2", 0)):
        (chair if name == "chutich" else tablets(name)).call(
            "POST", f"/polls/{poll}/ballots", {"ballot": uuid.uuid4().hex, "choice": [choice]})
    chair.call("POST", f"/polls/{poll}/close")
    resolution = chair.call("POST", f"/polls/{poll}/resolution")
    assert resolution["signed_by"] == "token" and resolution["kind"] == "resolution"
    with pytest.raises(OfficeRefused) as too_early:
        secretary.call("POST", f"/meetings/{meeting}/minutes")
    assert too_early.value.status == 409
    secretary.call("PUT", f"/meetings/{meeting}/notes", {"notes": "Hội nghị thống nhất thông qua kế hoạch."})
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "closed"})
    minutes = secretary.call("POST", f"/meetings/{meeting}/minutes")
    listed = tablets("pct1").call("GET", f"/meetings/{meeting}/issued")
    assert [d["kind"] for d in listed] == ["resolution", "minutes"]
    for doc in (minutes, resolution):
        data = b"".join(tablets("pct1").stream(f"/issued/{doc['id']}/content"))
        signed = tmp_path / f"{doc['kind']}.pdf"
        signed.write_bytes(data)
        ok = _verify(office, signed)
        assert ok.returncode == 0 and "VALID" in ok.stdout, ok.stdout + ok.stderr
        changed = bytearray(data)
        changed[len(data) // 3] ^= 0x01
        signed.write_bytes(bytes(changed))
        bad = _verify(office, signed)
        assert bad.returncode == 1 and "INVALID" in bad.stdout
        signed.write_bytes(data + b"\n%% a line added after signing\n")
        assert _verify(office, signed).returncode == 1
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(b"".join(secretary.stream(f"/papers/{_any_paper(secretary, meeting)}/content")))
    no_signature = _verify(office, unsigned)
    assert no_signature.returncode == 1 and "no signature" in no_signature.stdout


def _any_paper(secretary, meeting: str) -> str:
    from feeds.meetings.pdf_papers import make_paper

    return str(secretary.upload_paper(meeting, make_paper("UBND", "Phụ lục", [("a", "b")]), agenda_item=1,
                                      title="Phụ lục")["id"])


def test_a_wrong_token_pin_leaves_the_service_up_and_says_why_it_cannot_sign(tmp_path: Path, monkeypatch, spec):
    token = make_token(tmp_path / "hsm")
    monkeypatch.setenv("CONTROLROOM_SECRET_OFFICE_TOKEN_PIN", "000000")
    config = (f'[office.signing]\nmodule = "{token.module}"\ntoken_label = "{token.label}"\n'
              f'key_label = "{token.key_label}"\n')
    office = OfficeProcess(tmp_path / "office", office_config=config).start()
    tablets = Tablets(office, spec)
    try:
        secretary = tablets("thuky")
        meeting = make_meeting(secretary, MEMBERS)
        chair = tablets("chutich")
        chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
        chair.call("POST", f"/meetings/{meeting}/state", {"state": "closed"})
        with pytest.raises(OfficeRefused) as refused:
            secretary.call("POST", f"/meetings/{meeting}/minutes")
        assert refused.value.status == 503 and "PinIncorrect" in refused.value.message_en
        assert "PDFs cannot be signed" in office.log.read_text()
    finally:
        tablets.close()
        office.stop()
