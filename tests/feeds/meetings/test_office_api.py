"""The office service's HTTP side: its OpenAPI document, malformed and oversized requests, TLS, live state."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
import requests

from feeds.core.payloads import parse_message
from feeds.meetings.client import OfficeClient, OfficeRefused
from feeds.meetings.pdf_papers import make_paper
from feeds.meetings.settings import OfficeSettings
from feeds.office.server import ServerError, make_server
from tests.feeds.meetings.conftest import MEMBERS, SPEC_FILE, make_meeting
from tests.support.office import OfficeProcess
from tests.support.tls import make_tls
from tests.support.waiting import wait_until


def test_the_service_serves_the_committed_openapi_document(office: OfficeProcess):
    served = requests.get(f"{office.url}/openapi.json", timeout=5).json()
    committed = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    assert served == committed, ("the API changed: regenerate with "
                                 "`controlroom office openapi > docs/office-openapi.json` and review the change")


def test_every_answer_of_a_whole_meeting_fits_the_document(tablets):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    paper = secretary.upload_paper(meeting, make_paper("UBND tỉnh", "Tờ trình", [("Nội dung", "Văn bản thử.")]),
                                   agenda_item=1, title="Tờ trình số 1")
    chair = tablets("chutich")
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
    chair.call("POST", f"/meetings/{meeting}/current", {"position": 2})
    chair.call("POST", f"/meetings/{meeting}/attendance", {"presence": "in_room"})
    secretary.call("PUT", f"/meetings/{meeting}/attendance/giamdoc", {"presence": "absent", "reason": "Đi công tác"})
    pct1 = tablets("pct1")
    pct1.call("POST", f"/meetings/{meeting}/attendance", {"presence": "online"})
    pct1.call("POST", f"/meetings/{meeting}/floor")
    chair.call("POST", f"/meetings/{meeting}/floor/pct1/grant", {"limit_s": 180})
    speaking = chair.call("GET", f"/meetings/{meeting}/floor")
    assert speaking["speaker"]["name"] == "pct1" and speaking["speaker"]["limit_s"] == 180
    chair.call("POST", f"/meetings/{meeting}/floor/pct1/end")
    assert pct1.call("GET", f"/meetings/{meeting}/papers")[0]["rights"] == ["read", "annotate", "download"]
    assert pct1.call("GET", f"/meetings/{meeting}")["members"][3]["absence_reason"] == "Đi công tác"
    poll = chair.call("POST", f"/meetings/{meeting}/polls", {"title": "Thông qua", "method": "yes_no_abstain"})["id"]
    chair.call("POST", f"/polls/{poll}/open")
    pct1.call("POST", f"/polls/{poll}/ballots", {"ballot": uuid.uuid4().hex, "choice": [0]})
    chair.call("POST", f"/polls/{poll}/close")
    secretary.call("PUT", f"/meetings/{meeting}/notes", {"notes": "Thống nhất thông qua kế hoạch."})
    assert secretary.call("GET", f"/meetings/{meeting}/notes")["notes"].startswith("Thống nhất")
    with pytest.raises(OfficeRefused):
        pct1.call("GET", f"/meetings/{meeting}/notes")  # the minutes' notes are the secretary's
    assert len(pct1.call("GET", "/meetings")) >= 1
    assert paper["sha256"] and tablets.checked >= 20


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"{not json", 422, "JSON"),
    (b'{"title": "x", "starts": NaN, "ends": 1}', 422, "starts"),
    (b'{"title": "x", "starts": 1e300, "ends": 1}', 422, "starts"),
    (b'{"title": "", "starts": 1, "ends": 2}', 422, "title"),
    (b'{"title": "x", "starts": 10, "ends": 5}', 422, "ends after it starts"),
    (b'[1, 2, 3]', 422, "body"),
])
def test_malformed_requests_are_refused_with_the_reason(tablets, office: OfficeProcess, body, status, words):
    secretary = tablets("thuky")
    response = requests.post(f"{office.url}/api/v1/meetings", data=body, timeout=5,
                             headers={"Authorization": f"Bearer {secretary.token}", "Content-Type": "application/json"})
    assert response.status_code == status
    answer = response.json()
    assert answer["error"] == "invalid" and words in answer["message"] and answer["message_vi"]


def test_oversized_and_garbage_uploads_and_requests_are_refused(tablets, office: OfficeProcess):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    auth = {"Authorization": f"Bearer {secretary.token}"}
    huge = requests.post(f"{office.url}/api/v1/meetings", data=b"{" + b" " * (300 * 1024) + b"}", timeout=5,
                         headers={**auth, "Content-Type": "application/json"})
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"
    with pytest.raises(OfficeRefused) as not_pdf:
        secretary.upload_paper(meeting, b"MZ\x90\x00 an executable, not a paper" * 100, agenda_item=1, title="x")
    assert not_pdf.value.status == 422 and "not a PDF" in not_pdf.value.message_en
    with pytest.raises(OfficeRefused) as broken:
        secretary.upload_paper(meeting, b"%PDF-1.7\n" + b"garbage " * 5000, agenda_item=1, title="x")
    assert broken.value.status == 422 and "cannot be read" in broken.value.message_en
    with pytest.raises(OfficeRefused) as empty:
        secretary.upload_paper(meeting, b"", agenda_item=1, title="x")
    assert empty.value.status == 422
    with pytest.raises(OfficeRefused) as no_item:
        secretary.upload_paper(meeting, make_paper("UBND", "T", [("a", "b")]), agenda_item=9, title="x")
    assert "agenda item 9" in no_item.value.message_en
    leftovers = list((office.db.parent / "papers").glob(".upload-*"))
    assert leftovers == []  # nothing half-written is left behind
    with pytest.raises(OfficeRefused) as leader_uploads:
        tablets("pct1").upload_paper(meeting, make_paper("UBND", "T", [("a", "b")]), agenda_item=1, title="x")
    assert leader_uploads.value.status == 403
    no_token = requests.get(f"{office.url}/api/v1/meetings", timeout=5)
    assert no_token.status_code == 401 and no_token.json()["message_vi"] == "Cần đăng nhập"
    forged = requests.get(f"{office.url}/api/v1/meetings", headers={"Authorization": "Bearer forged"}, timeout=5)
    assert forged.status_code == 401


def test_a_wrong_password_is_refused_and_counted(office: OfficeProcess):
    client = OfficeClient(office.url)
    with pytest.raises(OfficeRefused) as wrong:
        client.sign_in("pct2", "sai-mat-khau", "tablet-x")
    assert wrong.value.status == 401 and "Wrong name or password" in wrong.value.message_en
    assert "còn 4 lần thử" in wrong.value.message_vi
    client.sign_in("pct2", "mat-khau-hop", "tablet-x")  # a right password clears the count
    client.close()


def test_live_state_is_retained_so_a_late_wall_gets_it_at_once(tablets, module_broker):
    meeting = make_meeting(tablets("thuky"), MEMBERS)
    chair = tablets("chutich")
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
    chair.call("POST", f"/meetings/{meeting}/attendance", {"presence": "in_room"})
    chair.call("POST", f"/meetings/{meeting}/current", {"position": 3})
    poll = chair.call("POST", f"/meetings/{meeting}/polls", {"title": "Thông qua", "method": "yes_no_abstain"})["id"]
    chair.call("POST", f"/polls/{poll}/open")
    chair.call("POST", f"/polls/{poll}/ballots", {"ballot": uuid.uuid4().hex, "choice": [1]})
    chair.call("POST", f"/polls/{poll}/close")
    got: dict[str, dict] = {}
    lock = threading.Lock()

    def on_message(client, userdata, message):
        with lock:
            record = parse_message(message.topic, message.payload, "wall")  # the wall's own parser
            got[message.topic] = {"retain": message.retain, "body": record.body, "key": record.key}

    wall = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    wall.on_message = on_message
    wall.connect("127.0.0.1", module_broker.port)
    wall.subscribe(f"ioc/v1/meeting/{meeting}/#", qos=1)
    wall.loop_start()
    try:
        wait_until(lambda: len(got) >= 3, 10, lambda: f"the retained meeting state (got {sorted(got)})")
    finally:
        wall.loop_stop()
        wall.disconnect()
    base = f"ioc/v1/meeting/{meeting}"
    assert all(m["retain"] for m in got.values())
    assert got[f"{base}/state"]["key"] == f"meeting/{meeting}/state"
    assert got[f"{base}/state"]["body"]["item"]["position"] == 3
    assert got[f"{base}/state"]["body"]["item"]["title"] == "Quan trắc môi trường"
    assert got[f"{base}/poll"]["body"]["poll"]["state"] == "closed"
    assert got[f"{base}/poll"]["body"]["tally"]["counts"] == [0, 1, 0]
    assert got[f"{base}/result/{poll}"]["body"]["signature"]


def test_the_service_speaks_tls_and_refuses_to_listen_openly_without_it(tmp_path: Path, module_broker):
    tls = make_tls(tmp_path / "tls")
    office = OfficeProcess(tmp_path / "office", tls=(tls.certfile, tls.keyfile))
    office.tls_ca = tls.cafile
    office.start()
    try:
        client = office.client("pct1")
        assert client.base.startswith("https://") and client.me and client.me.role == "leader"
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{office.url}/api/v1/health", timeout=5)  # not trusted without the site's CA
        client.close()
    finally:
        office.stop()
    with pytest.raises(ServerError, match="without TLS"):
        make_server(None, "0.0.0.0", 8443)  # type: ignore[arg-type]
    assert OfficeSettings().listen.startswith("127.0.0.1")


def test_the_calendar_lists_meetings_by_day_and_unit(tablets):
    import datetime

    secretary, department = tablets("thuky"), tablets("thukytnmt")
    now = time.time()
    tomorrow = (datetime.datetime.now() + datetime.timedelta(days=1)).replace(hour=9, minute=0).timestamp()
    province = secretary.call("POST", "/meetings", {"title": "Họp UBND tỉnh", "unit": "tinh", "starts": now,
                                                    "ends": now + 3600})["id"]
    ours = department.call("POST", "/meetings", {"title": "Giao ban Sở TN&MT", "starts": tomorrow,
                                                 "ends": tomorrow + 3600})
    assert ours["unit"] == "so-tnmt"  # a secretary's meeting is of their own unit by default
    with pytest.raises(OfficeRefused) as outside:
        department.call("POST", "/meetings", {"title": "x", "unit": "tinh", "starts": now, "ends": now + 60})
    assert outside.value.status == 403 and "Outside your unit" in outside.value.message_en
    day = datetime.date.today().isoformat()
    two_days = {m["id"] for m in secretary.call("GET", "/meetings", params={"day": day, "days": 2})}
    assert {province, ours["id"]} <= two_days
    department_only = secretary.call("GET", "/meetings", params={"day": day, "days": 2, "unit": "so-tnmt"})
    assert [m["id"] for m in department_only] == [ours["id"]]
    assert province not in {m["id"] for m in department.call("GET", "/meetings", params={"day": day})}
    with pytest.raises(OfficeRefused):
        secretary.call("GET", "/meetings", params={"day": "2026-13-45"})


def test_a_revoked_tablet_is_signed_out_at_its_next_request(tablets):
    pct1, admin = tablets("pct1"), tablets("quantri")
    assert pct1.call("GET", "/meetings") is not None
    assert admin.call("DELETE", "/devices/tablet-pct1")["sessions_ended"] >= 1
    with pytest.raises(OfficeRefused) as ended:
        pct1.call("GET", "/meetings")
    assert ended.value.status == 401 and "sign in again" in ended.value.message_en
    with pytest.raises(OfficeRefused) as not_admin:
        tablets("thuky").call("DELETE", "/devices/tablet-pct2")
    assert not_admin.value.status == 403


def test_a_closed_meeting_stays_closed_and_roles_that_cannot_vote_are_not_members(tablets):
    secretary, chair = tablets("thuky"), tablets("chutich")
    meeting = make_meeting(secretary, MEMBERS)
    with pytest.raises(OfficeRefused) as early:
        chair.call("POST", f"/meetings/{meeting}/state", {"state": "closed"})
    assert early.value.status == 409
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
    chair.call("POST", f"/meetings/{meeting}/state", {"state": "closed"})
    with pytest.raises(OfficeRefused) as reopened:
        chair.call("POST", f"/meetings/{meeting}/state", {"state": "open"})
    assert reopened.value.status == 409 and "once" in reopened.value.message_en
    with pytest.raises(OfficeRefused) as operator:
        secretary.call("PUT", f"/meetings/{meeting}/members/trucban", {"role": "member"})
    assert operator.value.status == 422 and "guest" in operator.value.message_en


def test_a_form_not_yet_approved_is_refused_at_sending_and_reaches_nobody(tablets):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    form = secretary.call("POST", f"/meetings/{meeting}/opinions", {"title": "Dự thảo", "deadline": time.time() + 600,
                                                                    "questions": ["Nội dung 1"]})
    with pytest.raises(OfficeRefused) as refused:
        secretary.call("POST", f"/opinions/{form['id']}/send")
    assert refused.value.status == 409
    assert secretary.call("GET", f"/opinions/{form['id']}")["recipients"] == []
    assert tablets("pct1").call("GET", f"/meetings/{meeting}/opinions") == []
