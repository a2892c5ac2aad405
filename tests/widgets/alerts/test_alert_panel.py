"""The operator's alert panel: rows, sorting, filters, actions per state, sound, the SOP checklist, speed."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from desktop.windows.alert_sound import AlertSound
from feeds.alerts.procedures import SopLibrary
from feeds.core.records import Alert, AlertAction, AlertState, Severity
from tests.support.paths import ROOT
from widgets.alerts.panel import AlertPanel
from widgets.alerts.table import COLUMN, format_age

NOW = 1_760_000_000.0  # fixed clock: ages are exact
LIBRARY = SopLibrary.load(ROOT / "resources" / "sop")
ASSIGNEES = ("Sở TN&MT", "Chi cục Thủy sản", "Bộ đội Biên phòng tỉnh", "Đội kỹ thuật")


def make_alert(alert_id: str, key: str, severity: Severity, title: str, title_en: str = "", age_s: float = 60.0,
               state: AlertState = AlertState.RAISED, **fields) -> Alert:
    domain, entity, kind = key.split("/")
    return Alert(id=alert_id, identity=f"{domain}/{entity}|{kind}", domain=domain, type=kind,
                 entity=fields.pop("entity", entity), severity=severity, title=title, title_en=title_en,
                 detail=fields.pop("detail", ""), detail_en=fields.pop("detail_en", ""), first_seen=NOW - age_s,
                 last_seen=NOW - age_s / 4, count=fields.pop("count", 1), state=state,
                 ts=fields.pop("ts", NOW - age_s / 4), source="test", **fields)


def province_alerts() -> list[Alert]:
    """A realistic mix of Thanh Hóa alerts over several domains and states."""
    return [
        make_alert("distress", "vessel/TH-91234-TS/distress", Severity.EMERGENCY,
                   "Tàu TH-91234-TS phát tín hiệu cấp cứu, cách đảo Hòn Mê 18 hải lý về phía Đông",
                   "Vessel TH-91234-TS sent a distress signal, 18 nm east of Hon Me island", age_s=1260,
                   state=AlertState.IN_PROGRESS, assignee="Bộ đội Biên phòng tỉnh", acked_by="trucban.lan",
                   acked_at=NOW - 1200, location=(19.3512, 106.0744), count=3,
                   detail="Thiết bị VMS báo SOS; 9 thuyền viên; gió Đông Bắc cấp 6, sóng 2–3 m.",
                   detail_en="VMS device reports SOS; 9 crew; north-east wind force 6, waves 2–3 m."),
        make_alert("aqi-dongtho", "air/dong-tho/aqi", Severity.CRITICAL,
                   "AQI trạm Đông Thọ (TP Thanh Hóa): 212 vượt ngưỡng 200 (Rất xấu)",
                   "AQI at Dong Tho station (Thanh Hoa city): 212 above 200 (Very unhealthy)", age_s=2460,
                   entity="Trạm Đông Thọ", count=4, detail="Chất ô nhiễm chính PM2.5 (148 µg/m³)."),
        make_alert("violating", "vessel/TH-90512-TS/violating", Severity.CRITICAL,
                   "Tàu TH-90512-TS vượt ranh giới vùng biển được phép khai thác",
                   "Vessel TH-90512-TS crossed the permitted fishing boundary", age_s=540,
                   state=AlertState.ACKNOWLEDGED, acked_by="trucban.lan", acked_at=NOW - 400),
        make_alert("cod", "discharge/kcn-nghi-son-xa1/cod", Severity.WARNING,
                   "KCN Nghi Sơn – cửa xả số 1: COD 178 mg/L vượt giới hạn cho phép (≤ 150)",
                   "Nghi Son IP outfall 1: COD 178 mg/L above the limit (≤ 150)", age_s=5400,
                   state=AlertState.ASSIGNED, assignee="Sở TN&MT", entity="KCN Nghi Sơn – XT1", count=7),
        make_alert("lost", "vessel/TH-90876-TS/lost_signal", Severity.WARNING,
                   "Tàu TH-90876-TS mất tín hiệu giám sát hành trình quá 6 giờ",
                   "Vessel TH-90876-TS lost its monitoring signal for more than 6 hours", age_s=23_000),
        make_alert("camera", "camera/nga-tu-buu-dien/camera_offline", Severity.WARNING,
                   "Camera ngã tư Bưu điện tỉnh mất tín hiệu", "Camera at the Provincial Post Office junction "
                   "lost its signal", age_s=780, entity="Ngã tư Bưu điện"),
        make_alert("ftp", "feeds/ftp-quan-trac/nodata", Severity.WARNING,
                   "Nguồn dữ liệu quan trắc (FTP) không cập nhật 25 phút",
                   "Monitoring data feed (FTP) silent for 25 minutes", age_s=1500, entity="FTP quan trắc"),
        make_alert("feedback", "feedback/phan-hoi/overdue", Severity.INFO,
                   "Phản ánh của người dân quá hạn xử lý: 12 phản ánh", "Citizen feedback overdue: 12 items",
                   age_s=9000, entity="Phản hồi Thanh Hóa", count=2),
        make_alert("aqi-samson", "air/sam-son/aqi", Severity.WARNING, "AQI trạm Sầm Sơn: 156 vượt ngưỡng 150 (Xấu)",
                   "AQI at Sam Son station: 156 above 150 (Unhealthy)", age_s=14_000, state=AlertState.RESOLVED,
                   ts=NOW - 3000, entity="Trạm Sầm Sơn", assignee="Sở TN&MT"),
        make_alert("near", "vessel/TH-92001-TS/near_boundary", Severity.INFO,
                   "Tàu TH-92001-TS cách ranh giới vùng khai thác 3 hải lý",
                   "Vessel TH-92001-TS 3 nm from the fishing boundary", age_s=30_000, state=AlertState.CLOSED,
                   ts=NOW - 20_000),
    ]


@pytest.fixture
def panel(app, qtbot):
    widget = AlertPanel("trucban.lan", "vi", LIBRARY, ASSIGNEES)
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.update_alerts(province_alerts())
    widget.tick(NOW)
    return widget


def column(panel: AlertPanel, name: str) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(row, COLUMN[name]).data() for row in range(proxy.rowCount())]


def ids(panel: AlertPanel) -> list[str]:
    proxy = panel.proxy
    return [panel.model.alert_at(proxy.mapToSource(proxy.index(r, 0)).row()).id for r in range(proxy.rowCount())]


def select(panel: AlertPanel, alert_id: str) -> None:
    row = ids(panel).index(alert_id)
    panel.table.selectionModel().select(panel.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                        | QItemSelectionModel.SelectionFlag.Rows)


def record(signal) -> list:
    seen: list = []
    signal.connect(seen.append)
    return seen


def test_age_formatting_by_language():
    assert format_age(192, "vi") == "3 phút 12 giây"
    assert format_age(192, "en") == "3 min 12 s"
    assert format_age(7500, "vi") == "2 giờ 5 phút"
    assert format_age(90_061, "en") == "1 d 1 h"
    assert format_age(0, "vi") == "0 giây"


def test_rows_sort_by_severity_rank_and_by_age(panel):
    assert panel.proxy.rowCount() == 8  # open only by default: resolved and closed are hidden
    panel.table.sortByColumn(COLUMN["severity"], Qt.SortOrder.DescendingOrder)
    assert column(panel, "severity")[:3] == ["● Emergency", "● Critical", "● Critical"]
    assert column(panel, "severity")[-1] == "● Info"  # by rank, not alphabetically
    panel.table.sortByColumn(COLUMN["age"], Qt.SortOrder.AscendingOrder)
    assert ids(panel)[:3] == ["violating", "camera", "distress"]  # 9 min < 13 min < 21 min: numeric, not text
    assert column(panel, "age")[0] == "9 phút 0 giây"
    assert ids(panel)[-1] == "lost"
    panel.tick(NOW + 3600)
    assert column(panel, "age")[0] == "1 giờ 9 phút"


def test_title_follows_language_with_vietnamese_fallback(app, qtbot):
    panel = AlertPanel("op", "en", LIBRARY, ASSIGNEES)
    qtbot.addWidget(panel)
    panel.update_alerts([make_alert("a", "air/x/aqi", Severity.WARNING, "AQI cao", "High AQI"),
                         make_alert("b", "air/y/aqi", Severity.WARNING, "Chỉ có tiếng Việt")])
    assert sorted(column(panel, "title")) == ["Chỉ có tiếng Việt", "High AQI"]


def test_filters(panel):
    panel.severity_filter.setCurrentIndex(panel.severity_filter.findData(2))
    assert sorted(ids(panel)) == ["aqi-dongtho", "distress", "violating"]
    panel.severity_filter.setCurrentIndex(0)
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("all"))
    assert panel.proxy.rowCount() == 10
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("resolved"))
    assert ids(panel) == ["aqi-samson"]
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("all"))
    panel.domain_filter.setCurrentIndex(panel.domain_filter.findData("vessel"))
    assert sorted(ids(panel)) == ["distress", "lost", "near", "violating"]
    assert panel.domain_filter.currentText() == "Fishing vessels"  # known domains are named
    panel.domain_filter.setCurrentIndex(0)
    panel.search.setText("nghi sơn")
    assert ids(panel) == ["cod"]
    panel.search.setText("Biên phòng")  # the assignee is searched too
    assert ids(panel) == ["distress"]


def test_update_keeps_selection_and_newest_version_wins(panel, qtbot):
    resets = record(panel.model.modelReset)
    select(panel, "cod")
    assert panel.title_label.text().startswith("KCN Nghi Sơn")
    current = panel.alert("cod")
    panel.update_alerts([replace(current, count=99, ts=current.ts - 10)])  # older: ignored
    assert panel.alert("cod").count == 7
    panel.update_alerts([*province_alerts()[:2], replace(current, count=8, ts=current.ts + 10,
                                                         title="KCN Nghi Sơn – cửa xả số 1: COD 190 mg/L")])
    assert panel.alert("cod").count == 8
    assert panel.selected_alert_id == "cod"
    assert panel.fields["count"].text() == "8" and "190" in panel.title_label.text()
    assert resets == []


def test_buttons_follow_the_state_and_emit_actions(panel, qtbot):
    actions = record(panel.actionRequested)
    select(panel, "ftp")  # raised
    assert panel.ack_button.isEnabled() and panel.resolve_button.isEnabled()
    assert not panel.close_button.isEnabled() and not panel.note_button.isEnabled()
    before = time.time()
    qtbot.mouseClick(panel.ack_button, Qt.MouseButton.LeftButton)
    panel.assignee_box.setCurrentText("Đội kỹ thuật")
    qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
    panel.note_edit.setText("Đã gọi đơn vị cung cấp dữ liệu")
    qtbot.mouseClick(panel.note_button, Qt.MouseButton.LeftButton)
    assert [(a.action, a.alert_id, a.by, a.source, a.text) for a in actions] == [
        ("ack", "ftp", "trucban.lan", "local", ""), ("assign", "ftp", "trucban.lan", "local", "Đội kỹ thuật"),
        ("note", "ftp", "trucban.lan", "local", "Đã gọi đơn vị cung cấp dữ liệu")]
    assert len({a.id for a in actions}) == 3 and all(before <= a.ts <= time.time() for a in actions)
    assert panel.note_edit.text() == "" and panel.alert("ftp").state is AlertState.RAISED  # the app moves it

    panel.update_alerts([replace(panel.alert("ftp"), state=AlertState.IN_PROGRESS, ts=NOW + 1)])
    assert not panel.ack_button.isEnabled() and not panel.start_button.isEnabled()
    assert panel.resolve_button.isEnabled() and not panel.close_button.isEnabled()
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("all"))  # keep it listed once resolved
    panel.update_alerts([replace(panel.alert("ftp"), state=AlertState.RESOLVED, ts=NOW + 2)])
    assert panel.close_button.isEnabled()
    assert not any(b.isEnabled() for b in (panel.ack_button, panel.start_button, panel.resolve_button,
                                           panel.assign_button))
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert actions[-1].action == "close"
    panel.update_alerts([replace(panel.alert("ftp"), state=AlertState.CLOSED, ts=NOW + 3)])
    assert not panel.close_button.isEnabled() and not panel.ack_button.isEnabled()
    assert not any(row.box.isEnabled() for row in panel.sop.rows)  # a closed alert's SOP is read-only


def test_sound_only_for_new_critical_alerts(panel):
    sounds = record(panel.soundRequested)
    fresh = make_alert("fire", "camera/cho-vuon-hoa/smoke", Severity.CRITICAL, "Phát hiện khói tại chợ Vườn Hoa")
    panel.update_alerts([fresh])
    assert sounds == [Severity.CRITICAL]
    panel.update_alerts([replace(fresh, count=2, ts=fresh.ts + 30, last_seen=fresh.ts + 30)])  # a repeat
    panel.update_alerts([make_alert("w", "air/x/aqi", Severity.WARNING, "AQI cao")])
    panel.update_alerts([make_alert("handled", "vessel/TH-1/distress", Severity.EMERGENCY, "Đã xử lý ở máy khác",
                                    state=AlertState.ACKNOWLEDGED)])
    assert sounds == [Severity.CRITICAL]
    panel.update_alerts([make_alert("e", "vessel/TH-2/distress", Severity.EMERGENCY, "Cấp cứu"),
                         make_alert("c", "air/y/aqi", Severity.CRITICAL, "AQI rất xấu")])
    assert sounds == [Severity.CRITICAL, Severity.EMERGENCY]  # one sound per batch, the loudest


def test_alert_sound_counts_requests_without_an_audio_device(app):
    sound = AlertSound()
    assert sound.play(Severity.CRITICAL) and sound.play(Severity.EMERGENCY)
    assert not sound.play(Severity.WARNING)
    sound.muted = True
    assert not sound.play(Severity.EMERGENCY)
    assert sound.played == 2


def run_step(panel: AlertPanel, qtbot, index: int) -> None:
    """Tap the check box, or (odd steps) the step's text: the whole row is the touch target."""
    row = panel.sop.rows[index]
    qtbot.mouseClick(row.label if index % 2 else row.box, Qt.MouseButton.LeftButton)


def test_sop_run_to_the_end_sends_one_sop_done(panel, qtbot):
    actions = record(panel.actionRequested)
    asked = record(panel.alertSelected)
    select(panel, "distress")
    assert asked == ["distress"]
    assert panel.sop.title.text() == LIBRARY.get("tau-ca-gap-nan").title
    history: list[AlertAction] = []
    panel.show_history("distress", history)
    steps = len(panel.sop.rows)
    assert steps == 5
    for index in range(steps):
        run_step(panel, qtbot, index)
        assert not panel.sop.rows[index].box.isEnabled()  # checked for good, and sent once
        history.append(actions[-1])
        panel.show_history("distress", list(history))
        assert "✓ trucban.lan" in panel.sop.rows[index].label.text()
    sent = [(a.action, a.data) for a in actions]
    assert sent == [("sop_step", {"procedure": "tau-ca-gap-nan", "step": i}) for i in range(steps)] + [
        ("sop_done", {"procedure": "tau-ca-gap-nan", "steps": steps})]
    panel.show_history("distress", list(history))  # the app has not folded sop_done in yet
    assert [a.action for a in actions].count("sop_done") == 1
    assert panel.history.topLevelItemCount() == steps
    assert panel.history.topLevelItem(0).text(2) == "Procedure step 5 done"


def test_sop_done_is_left_to_the_console_that_checked_the_last_step(panel):
    actions = record(panel.actionRequested)
    select(panel, "violating")
    procedure = LIBRARY.get("tau-ca-vuot-ranh-gioi")
    history = [AlertAction(id=f"s{i}", alert_id="violating", action="sop_step", by="other.console", ts=NOW + i,
                           data={"procedure": procedure.id, "step": i}) for i in range(len(procedure.steps))]
    panel.show_history("violating", history)
    assert actions == []
    assert all(not row.box.isEnabled() and row.box.isChecked() for row in panel.sop.rows)
    panel.show_history("distress", history)  # a late answer for another alert is ignored
    assert panel.history.topLevelItemCount() == len(history)


def test_five_hundred_alerts_update_quickly(panel):
    many = [make_alert(f"bulk-{i}", f"air/station-{i % 40}/aqi-{i}", list(Severity)[i % 4], f"Cảnh báo số {i}",
                       age_s=10 + i) for i in range(500)]
    start = time.perf_counter()
    panel.update_alerts(many)
    assert time.perf_counter() - start < 0.2
    select(panel, "bulk-7")
    for round_ in range(1, 11):
        many = [replace(a, count=a.count + 1, ts=a.ts + round_, last_seen=a.ts + round_) for a in many]
        start = time.perf_counter()
        panel.update_alerts(many)
        elapsed = time.perf_counter() - start
        assert elapsed < 0.2, f"update {round_} took {elapsed * 1000:.0f} ms"
    assert panel.model.rowCount() == 510 and panel.alert("bulk-7").count == 11
    assert panel.selected_alert_id == "bulk-7" and panel.fields["count"].text() == "11"


def test_screenshot(panel, qtbot, tmp_path):
    """The picture in docs/screenshots/alert-panel.png (copied from tmp_path by hand when it changes)."""
    select(panel, "distress")
    procedure = LIBRARY.get("tau-ca-gap-nan")
    by = ("trucban.lan", "trucban.lan", "bienphong.hung")
    history = [
        AlertAction(id="h0", alert_id="distress", action="raised", by="geofence", ts=NOW - 1260, source="geofence"),
        AlertAction(id="h1", alert_id="distress", action="ack", by="trucban.lan", ts=NOW - 1200),
        AlertAction(id="h2", alert_id="distress", action="notified", by="system", ts=NOW - 1190, text="SMS, e-mail"),
        AlertAction(id="h3", alert_id="distress", action="assign", by="trucban.lan", ts=NOW - 1100,
                    text="Bộ đội Biên phòng tỉnh"),
        *[AlertAction(id=f"s{i}", alert_id="distress", action="sop_step", by=by[i], ts=NOW - 1000 + 200 * i,
                      data={"procedure": procedure.id, "step": i}) for i in range(3)],
        AlertAction(id="n1", alert_id="distress", action="note", by="bienphong.hung", ts=NOW - 500,
                    text="Tàu BP 12-03 đã xuất phát từ cảng Lạch Hới"),
    ]
    panel.update_alerts([
        make_alert("flood", "hydro/ly-nhan/water_level", Severity.CRITICAL,
                   "Mực nước sông Mã tại trạm Lý Nhân vượt báo động 2 (+0,35 m)",
                   "Ma river level at Ly Nhan above alarm level 2 (+0.35 m)", age_s=3300, entity="Trạm Lý Nhân"),
        make_alert("jam", "traffic/le-loi-tran-phu/congestion", Severity.WARNING,
                   "Ùn tắc tại nút giao Đại lộ Lê Lợi – Trần Phú hơn 20 phút",
                   "Congestion at Le Loi – Tran Phu junction for over 20 minutes", age_s=1320,
                   state=AlertState.ASSIGNED, assignee="CSGT TP Thanh Hóa", entity="Lê Lợi – Trần Phú"),
        make_alert("budget", "econ/dau-tu-cong/disbursement", Severity.WARNING,
                   "Giải ngân vốn đầu tư công đạt 41%, chậm 9% so với kế hoạch quý",
                   "Public investment disbursement at 41%, 9% behind the quarterly plan", age_s=86_000,
                   state=AlertState.ACKNOWLEDGED, acked_by="vanphong.minh", entity="Vốn đầu tư công"),
    ])
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("all"))  # resolved and closed rows, dimmed
    panel.table.sortByColumn(COLUMN["severity"], Qt.SortOrder.DescendingOrder)
    panel.show_history("distress", history)
    panel.show()
    qtbot.waitExposed(panel)
    image = panel.grab().toImage()
    assert (image.width(), image.height()) == (1600, 900)
    assert image.save(str(tmp_path / "alert-panel.png"))
    assert sum(row.box.isChecked() for row in panel.sop.rows) == 3
