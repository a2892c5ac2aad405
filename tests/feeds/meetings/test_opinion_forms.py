"""Opinion forms through the real service: create, submit, approve, send with a deadline, answer, reminders by
e-mail and SMS to those who have not answered, close at the deadline, summary, a signed conclusion."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feeds.meetings.client import OfficeRefused
from tests.feeds.meetings.conftest import MEMBERS, Tablets, make_meeting
from tests.support.office import OfficeProcess
from tests.support.waiting import wait_until


@pytest.fixture
def reminding_office(tmp_path: Path, monkeypatch, mailbox, http_servers, spec):
    box, smtp_port = mailbox
    gateway = http_servers(lambda n, body: 200)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "mat-khau-8")
    config = (f'[office.reminders]\nbefore_hours = [0.002]\ninterval_s = 0.3\n'
              f'[office.reminders.channels.email]\nhost = "127.0.0.1"\nport = {smtp_port}\n'
              f'sender = "vanphong@thanhhoa.gov.vn"\nusername = "vanphong"\npassword_env = "TEST_SMTP_PASSWORD"\n'
              f'[office.reminders.channels.sms]\nurl = "{gateway.url}"\n'
              f'[office.contacts]\npct1 = {{ email = "pct1@thanhhoa.gov.vn", phone = "+84900000001" }}\n'
              f'pct2 = {{ email = "pct2@thanhhoa.gov.vn" }}\n'
              f'giamdoc = {{ phone = "+84900000003" }}\n')
    office = OfficeProcess(tmp_path / "office", office_config=config).start()
    tablets = Tablets(office, spec)
    yield office, tablets, box, gateway
    tablets.close()
    office.stop()


def test_a_form_goes_from_draft_to_a_signed_conclusion_with_reminders(reminding_office, tmp_path: Path):
    office, tablets, box, gateway = reminding_office
    secretary, chair = tablets("thuky"), tablets("chutich")
    meeting = make_meeting(secretary, MEMBERS)
    deadline = time.time() + 14  # reminders are due 7.2 s before it (before_hours = 0.002)
    form = secretary.call("POST", f"/meetings/{meeting}/opinions", {
        "title": "Lấy ý kiến về dự thảo Nghị quyết quan trắc môi trường", "deadline": deadline,
        "questions": ["Thống nhất phạm vi lắp đặt trạm quan trắc", "Thống nhất nguồn kinh phí"]})
    assert form["state"] == "draft"
    fid = form["id"]
    pct1 = tablets("pct1")
    assert pct1.call("GET", f"/meetings/{meeting}/opinions") == []  # not sent yet: members do not see it
    with pytest.raises(OfficeRefused) as early:
        secretary.call("POST", f"/opinions/{fid}/send")
    assert early.value.status == 409 and "approved" in early.value.message_en
    secretary.call("POST", f"/opinions/{fid}/submit")
    with pytest.raises(OfficeRefused) as not_chair:
        secretary.call("POST", f"/opinions/{fid}/approve")
    assert not_chair.value.status == 403
    assert chair.call("POST", f"/opinions/{fid}/approve")["approved_by"] == "chutich"
    sent = secretary.call("POST", f"/opinions/{fid}/send")
    assert sent["state"] == "sent" and [n for n, _ in sent["recipients"]] == ["chutich", "giamdoc", "pct1", "pct2"]
    # the notice goes to every recipient with an address: two e-mails, two text messages
    mails = sorted(box.next(timeout=10)[2].rcpt_tos[0] for _ in range(2))
    assert mails == ["pct1@thanhhoa.gov.vn", "pct2@thanhhoa.gov.vn"]
    wait_until(lambda: len(gateway.seen) >= 2, 10, "the SMS notices")
    assert sorted(s.body["to"] for s in gateway.seen[:2]) == ["+84900000001", "+84900000003"]
    answered = pct1.call("PUT", f"/opinions/{fid}/answers", {"answers": [
        {"position": 1, "answer": "agree"}, {"position": 2, "answer": "other", "comment": "Đề nghị bổ sung vốn ODA"}]})
    assert answered["my_answers"]["2"] == ["other", "Đề nghị bổ sung vốn ODA"]
    with pytest.raises(OfficeRefused) as no_comment:
        tablets("pct2").call("PUT", f"/opinions/{fid}/answers", {"answers": [{"position": 1, "answer": "other"}]})
    assert "comment" in no_comment.value.message_en
    tablets("pct2").call("PUT", f"/opinions/{fid}/answers", {"answers": [{"position": 1, "answer": "disagree"}]})
    with pytest.raises(OfficeRefused) as guest:
        tablets("trucban").call("PUT", f"/opinions/{fid}/answers", {"answers": [{"position": 1, "answer": "agree"}]})
    assert guest.value.status == 403
    # the reminder, before the deadline, only to those who have not answered everything: pct2 (e-mail), giamdoc (SMS)
    reminder = box.next(timeout=20)
    assert reminder[2].rcpt_tos == ["pct2@thanhhoa.gov.vn"] and "Nhắc" in reminder[1]["Subject"]
    wait_until(lambda: len(gateway.seen) >= 3, 20, "the SMS reminder")
    assert gateway.seen[2].body["to"] == "+84900000003"
    summary = secretary.call("GET", f"/opinions/{fid}/summary")
    assert summary["unanswered"] == ["chutich", "giamdoc", "pct2"]
    first = summary["questions"][0]
    assert (first["agree"], first["disagree"], first["other"], first["unanswered"]) == (1, 1, 0, 2)
    assert summary["questions"][1]["comments"] == [{"member": "Nguyễn Thị Lan", "answer": "other",
                                                    "comment": "Đề nghị bổ sung vốn ODA"}]
    wait_until(lambda: secretary.call("GET", f"/opinions/{fid}")["state"] == "closed", 60, "the close at the deadline")
    with pytest.raises(OfficeRefused) as late:
        pct1.call("PUT", f"/opinions/{fid}/answers", {"answers": [{"position": 1, "answer": "disagree"}]})
    assert late.value.status == 409
    signed = chair.call("POST", f"/opinions/{fid}/conclusion", {"conclusion": "Giao Sở TN&MT hoàn thiện dự thảo."})
    assert signed["record"]["conclusion"] == "Giao Sở TN&MT hoàn thiện dự thảo."
    assert signed["record"]["questions"][0]["passes"] is False  # 1 of 4 is not more than half of all members
    record = tmp_path / "conclusion.json"
    record.write_text(json.dumps(signed, ensure_ascii=False))
    verify = subprocess.run([sys.executable, "-m", "desktop.commands.cli", "office", "verify", "--db", str(office.db),
                             str(record)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert box.received.empty()  # nobody was reminded twice
