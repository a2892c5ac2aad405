"""The meeting screens as a leader and a wall see them: the demo's office service embedded, today's meeting,
the chair moving through it, a vote on the tablet, a paper in the viewer, and the wall's meeting tiles."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from desktop.application import install_translators
from desktop.config.loader import DEFAULT_CONFIG_NAME, default_config_text, parse_config
from desktop.session import GuiOptions, Session
from feeds.identity.roles import Principal, Role
from feeds.meetings.live_records import MeetingLive
from widgets.base.registry import create_tile, tile_types
from widgets.base.spec import TileSpec
from widgets.base.tile import TileContext
from widgets.meetings.pdf_viewer import TOUCH_PX, PaperViewer

SHOTS = os.environ.get("CONTROLROOM_SHOTS")  # a folder: the tour's screenshots are kept there to look at


def _shot(widget, name: str, tmp_path: Path, qtbot=None) -> Path:
    if qtbot is not None:
        qtbot.wait(300)  # widgets replaced in this turn are shown on the next one
    path = Path(SHOTS or tmp_path) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(path))
    return path


def _button(widget, text: str, qtbot=None) -> QPushButton:
    """The visible button whose text starts with TEXT (new buttons are shown on the next turn of the loop)."""
    def visible() -> list[QPushButton]:
        return [b for b in widget.findChildren(QPushButton) if b.isVisible() and b.text().startswith(text)]

    if qtbot is not None:
        qtbot.waitUntil(lambda: bool(visible()), timeout=10_000)
    found = visible()
    assert found, f"no visible button {text!r}: {[b.text() for b in widget.findChildren(QPushButton)]}"
    return found[0]


def _tab(qtbot, view, index: int) -> None:
    """Tap a tab of the meeting view's right-hand column (vote, speaking, opinion forms)."""
    bar = view.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())
    assert view.tabs.currentIndex() == index and bar.tabRect(index).height() >= 48
    qtbot.wait(50)


def _tap(qtbot, widget, text: str) -> None:
    QTest.mouseClick(_button(widget, text, qtbot), Qt.MouseButton.LeftButton)


@pytest.fixture
def vietnamese(app):
    translators = install_translators(app, "vi")
    yield
    for translator in translators or ():
        app.removeTranslator(translator)


def _terminal(tmp_path: Path, principal: Principal):
    """The demo's leader terminal (with its embedded office service) signed in as PRINCIPAL, tablet-sized."""
    config = parse_config(default_config_text(), DEFAULT_CONFIG_NAME, tile_types())
    session = Session(config, GuiOptions(roles=("leader",), cache_path=tmp_path / "cache.sqlite", language="vi",
                                         principal=principal))
    session.start()
    window = session.terminals[0]
    window.resize(1280, 800)
    window.show()
    return session, window


@pytest.fixture
def leader(app, vietnamese, qtbot, tmp_path):
    session, window = _terminal(tmp_path, Principal("lanhdao", Role.LEADER, "tinh", "Phạm Minh Đức", "leader-1"))
    yield session, window
    session.shutdown()


def test_the_chair_runs_todays_demo_meeting_from_the_tablet(leader, qtbot, tmp_path):
    session, window = leader
    view = window.pages.widget(1)
    controller = session.meeting_controllers[0]
    window.show_page(view)
    qtbot.waitUntil(lambda: view.meeting is not None and bool(controller.paper_rows), timeout=20_000)
    assert view.heading.text() == "Phiên họp thường kỳ UBND tỉnh"
    assert len(controller.paper_rows) == 3
    assert [r["keep"] for r in controller.paper_rows] == [True, True, False]  # the MẬT one stays off the tablet
    qtbot.waitUntil(lambda: all(r["id"] in controller.papers and controller.vault.has(controller.papers[r["id"]])
                                for r in controller.paper_rows if r["keep"]), timeout=20_000)
    _shot(window, "meeting-before", tmp_path, qtbot)
    _tap(qtbot, view, "Khai mạc")
    qtbot.waitUntil(lambda: view.meeting["state"] == "open", timeout=10_000)
    _tap(qtbot, view, "Có mặt")
    qtbot.waitUntil(lambda: "có mặt" in view.presence_label.text(), timeout=10_000)
    _tap(qtbot, view, "Nội dung tiếp")
    qtbot.waitUntil(lambda: view.meeting["current_item"] == 2 and view.poll is not None, timeout=10_000)
    _tap(qtbot, view, "Mở biểu quyết")
    qtbot.waitUntil(lambda: view.poll["state"] == "open", timeout=10_000)
    qtbot.waitUntil(lambda: any(lbl.text().startswith("Đồng ý: 0") for lbl in view.findChildren(type(view.heading))),
                    timeout=10_000)  # the chair sees the running tally
    qtbot.waitUntil(lambda: any(b.isVisible() and b.isEnabled() for b in view.findChildren(QPushButton, "voteOption0")),
                    timeout=10_000)
    yes = next(b for b in view.findChildren(QPushButton, "voteOption0") if b.isVisible())
    assert yes.text() == "Đồng ý" and yes.height() >= 56
    QTest.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(lbl.text() == "Đã ghi nhận" for lbl in view.findChildren(type(view.heading))),
                    timeout=10_000)
    _shot(window, "meeting-vote", tmp_path, qtbot)
    _tap(qtbot, view, "Kết thúc biểu quyết")
    qtbot.waitUntil(lambda: view.poll["state"] == "closed", timeout=10_000)
    _button(view, "Đồng ý  (1)", qtbot)  # the result on the option
    result = session.office.service.store.result(view.poll["id"])
    assert result is not None and result["record"]["tally"]["counts"] == [1, 0, 0]
    # the opinion form the demo sent: agree on the first point, another opinion with a comment on the second
    _tab(qtbot, view, 2)
    choices = lambda: [b for b in view.findChildren(QPushButton, "voteChoice")  # noqa: E731
                       if b.isVisible() and b.text() == "Đồng ý"]
    qtbot.waitUntil(lambda: bool(choices()), timeout=10_000)  # the forms come from the office service's worker
    agree = choices()
    QTest.mouseClick(agree[0], Qt.MouseButton.LeftButton)
    others = [b for b in view.findChildren(QPushButton) if b.isVisible() and b.text() == "Ý kiến khác"]
    QTest.mouseClick(others[1], Qt.MouseButton.LeftButton)
    comment = [e for e in view.findChildren(type(view.reason)) if e.isVisible()][-1]
    comment.setText("Đề nghị bổ sung trạm tại Bỉm Sơn")
    _shot(window, "meeting-opinions", tmp_path, qtbot)
    _tap(qtbot, view, "Gửi ý kiến")
    form_id = session.office.service.opinions.forms(view.meeting["id"])[0].id
    qtbot.waitUntil(lambda: len(session.office.service.opinions.answers_of(form_id, "lanhdao")) == 2, timeout=10_000)
    assert session.office.service.opinions.answers_of(form_id, "lanhdao")[2] == ("other",
                                                                                 "Đề nghị bổ sung trạm tại Bỉm Sơn")
    # the floor: the chair asks, then gives it to himself, with a timer on the wall
    _tab(qtbot, view, 1)
    _tap(qtbot, view, "Xin phát biểu")
    qtbot.waitUntil(lambda: any(b.text().startswith("Mời") for b in view.findChildren(QPushButton)),
                    timeout=10_000)
    _tap(qtbot, view, "Mời")
    qtbot.waitUntil(lambda: view.turn_clock.text().endswith("/ 05:00"), timeout=10_000)  # the chair's timer
    small = [b.text() for b in view.findChildren(QPushButton) if b.isVisible() and b.height() < 56]
    assert small == []  # every action a finger can reach
    # a paper, from the sealed copy on the tablet
    paper = next(b for b in view.findChildren(QPushButton) if b.property("paper") == controller.paper_rows[0]["id"])
    QTest.mouseClick(paper, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.viewer and view.viewer.pages() > 0, timeout=10_000)
    assert view.viewer.counter.text() == f"Trang 1/{view.viewer.pages()}"
    _shot(window, "meeting-paper", tmp_path, qtbot)
    view.viewer.close_button.click()
    # the calendar: tomorrow has no meeting, today has this one again
    _tap(qtbot, view, "›")
    qtbot.waitUntil(lambda: view.meeting is None and view.heading.text() == "Không có cuộc họp trong ngày",
                    timeout=10_000)
    _tap(qtbot, view, "Hôm nay")
    qtbot.waitUntil(lambda: view.meeting is not None, timeout=10_000)


def test_the_viewer_swipes_zooms_searches_and_counts_pages(app, vietnamese, qtbot, tmp_path):
    from feeds.meetings.pdf_papers import make_paper

    data = make_paper("UBND tỉnh Thanh Hóa", "Báo cáo thử", [("Tình hình", "Cảng Nghi Sơn và bãi biển Sầm Sơn. " * 40)],
                      pages=12)
    viewer = PaperViewer()
    viewer.resize(1280, 800)
    viewer.show()
    assert viewer.open_bytes("Báo cáo thử", data)
    assert viewer.pages() >= 12 and viewer.page() == 0
    port = viewer.view.viewport()
    start, end = QPoint(900, 400), QPoint(500, 410)
    QTest.mousePress(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(port, end)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert viewer.page() == 1 and "2" in viewer.counter.text()
    QTest.mousePress(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert viewer.page() == 0
    before = viewer.view.zoomFactor()
    viewer.zoom_in.click()
    assert viewer.view.zoomFactor() > before
    viewer.fit.click()
    viewer.find.setText("Nghi Sơn")
    viewer.find_button.click()
    qtbot.waitUntil(lambda: viewer.results() > 10, timeout=10_000)
    viewer.find_button.click()
    assert viewer.found.text().startswith("2/")  # the second result of the search
    viewer.thumbs_button.click()
    qtbot.waitUntil(lambda: not viewer.thumbnails.item(5).icon().isNull(), timeout=10_000)
    viewer.thumbnails.itemClicked.emit(viewer.thumbnails.item(5))
    assert viewer.page() == 5
    assert all(b.height() >= TOUCH_PX for b in (viewer.next, viewer.previous, viewer.zoom_in, viewer.close_button))
    _shot(viewer, "viewer", tmp_path)
    assert not viewer.open_bytes("Hỏng", b"%PDF-1.4 not really")
    assert "cannot be shown" in viewer.title.text() or "không" in viewer.title.text().lower()


def _live(part: str, body: dict, meeting: str = "hop-1") -> MeetingLive:
    return MeetingLive(f"meeting/{meeting}/{part}", time.time(), "office", part, body)


def test_the_wall_tiles_show_the_item_the_speaker_with_a_timer_and_the_vote(app, vietnamese, qtbot, tmp_path):
    context = TileContext(language="vi")
    agenda = [{"position": 1, "title": "Kinh tế - xã hội", "presenter": "Sở Tài chính", "minutes": 40, "papers": []},
              {"position": 2, "title": "Phòng chống thiên tai mùa mưa bão", "presenter": "Sở NN&MT", "minutes": 30,
               "papers": []}]
    members = [{"name": n, "role": r} for n, r in (("a", "chair"), ("b", "member"), ("c", "member"), ("d", "guest"))]
    state = {"meeting": {"title": "Phiên họp thường kỳ", "state": "open", "agenda": agenda, "members": members},
             "item": agenda[1], "present": 2, "now": time.time()}
    tiles = {t: create_tile(TileSpec(type=t, title=title, key="meeting/#"), context)
             for t, title in (("meeting_agenda", "Nội dung"), ("meeting_speaker", "Phát biểu"),
                              ("meeting_vote", "Biểu quyết"))}
    for tile in tiles.values():
        tile.resize(640, 400)
        tile.show()
    records = [_live("state", state),
               _live("speaking", {"speaker": {"name": "b", "display_name": "Lê Thị Hạnh", "granted": time.time() - 65,
                                              "limit_s": 60, "requested": 0, "ended": 0, "meeting": "hop-1"},
                                  "queue": [{"display_name": "Trần Quốc Bảo", "name": "c"}], "now": time.time()}),
               _live("poll", {"poll": {"title": "Thông qua kế hoạch", "state": "open", "secret": False,
                                       "options": ["Đồng ý", "Không đồng ý", "Không biểu quyết"], "closed": 0},
                              "tally": {"counts": [2, 1, 0], "ballots": 3, "eligible": 3}, "now": time.time()})]
    for tile in tiles.values():
        tile.show_records([r for r in records if tile.wants(r)])
    assert tiles["meeting_agenda"].item_label.text() == "Phòng chống thiên tai mùa mưa bão"
    assert "có mặt 2/3" in tiles["meeting_agenda"].meeting_label.text()
    assert tiles["meeting_agenda"].position_label.text() == "Nội dung 2/2"
    speaker = tiles["meeting_speaker"]
    assert speaker.speaker_label.text() == "Lê Thị Hạnh" and speaker.timer_label.text().startswith("01:0")
    assert speaker.timer_label.property("over") is True  # past the minute the chair gave
    assert "Trần Quốc Bảo" in speaker.queue_label.text()
    vote = tiles["meeting_vote"]
    assert [b.value() for _, b, _ in vote.bars] == [2, 1, 0] and vote.bars[0][2].text() == "2 · 66,7 %"
    for name, tile in tiles.items():
        _shot(tile, f"wall-{name}", tmp_path)
    assert not tiles["meeting_vote"].wants(records[0])  # each tile takes its own part only


def test_marks_are_drawn_with_a_finger_in_a_layer_over_the_page(app, vietnamese, qtbot, tmp_path):
    from feeds.meetings.annotations import MarkSet
    from feeds.meetings.pdf_papers import make_paper
    from widgets.meetings.marks_view import Tool

    data = make_paper("UBND tỉnh Thanh Hóa", "Tờ trình", [("Nội dung", "Văn bản để ghi chú bằng bút. " * 30)],
                      pages=3)
    viewer = PaperViewer()
    viewer.resize(1280, 800)
    viewer.show()
    changed: list[MarkSet] = []
    viewer.marksChanged.connect(changed.append)
    assert viewer.open_bytes("Tờ trình", data, "tl-1", MarkSet("tl-1"), can_annotate=True)
    qtbot.wait(300)
    view = viewer.view
    rect = view.page_rect(0)
    image = view.viewport().grab().toImage()
    inside = image.pixelColor(int(rect.left()) + 4, int(rect.bottom()) - 4)
    outside = image.pixelColor(int(rect.left()) - 4, int(rect.center().y()))
    assert inside.lightness() > 240 and outside.lightness() < 200  # the computed page is where the page is
    viewer.tools[Tool.INK].click()
    port = view.viewport()
    path = [QPoint(int(rect.left() + 100 + 6 * i), int(rect.top() + 300 + (i % 5))) for i in range(30)]
    QTest.mousePress(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, path[0])
    for point in path[1:]:
        QTest.mouseMove(port, point)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, path[-1])
    assert viewer.page() == 0  # drawing does not turn the page
    assert len(changed) == 1 and changed[0].marks[0].kind == "ink" and len(changed[0].marks[0].points) >= 20
    x, y = changed[0].marks[0].points[0]
    assert 0 < x < 600 and 0 < y < 842  # kept in points on the page, not in pixels
    viewer.tools[Tool.NOTE].click()
    QTest.mouseClick(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(rect.left()) + 80,
                                                                                          int(rect.top()) + 120))
    assert viewer.note_edit.isVisible()
    viewer.note_edit.setText("Hỏi lại Sở Tài chính về nguồn vốn")
    viewer.note_save.click()
    assert [m.kind for m in changed[-1].marks] == ["ink", "note"]
    assert "Hỏi lại Sở Tài chính" in viewer.page_notes.text()
    qtbot.wait(100)
    ink = view.viewport().grab().toImage().pixelColor(path[10])
    assert ink.red() > 180 and ink.blue() < 140  # the ink is painted over the page
    _shot(viewer, "viewer-marks", tmp_path)
    viewer.undo_button.click()
    assert [m.kind for m in changed[-1].marks] == ["ink"]
    viewer.go(1)
    assert viewer.page_notes.text() == ""


def test_the_meeting_room_layout_is_a_wall_scene_like_any_other(app, vietnamese, qtbot, tmp_path):
    from desktop.windows.terminal import TerminalWindow
    from feeds.store import Cache

    config = parse_config(default_config_text(), DEFAULT_CONFIG_NAME, tile_types())
    layout = config.layouts["phong-hop"]
    assert [t.type for t in layout.tiles][:3] == ["meeting_agenda", "meeting_speaker", "meeting_vote"]
    cache = Cache(tmp_path / "cache.sqlite")
    window = TerminalWindow("wall-1", 0, TileContext(language="vi"), cache)
    window.resize(1920, 1080)
    window.apply("phong-hop", layout)
    window.show()
    now = time.time()
    agenda = [{"position": n, "title": t, "presenter": p, "minutes": 30, "papers": []} for n, t, p in (
        (1, "Tình hình kinh tế - xã hội năm 2025 và nhiệm vụ năm 2026", "Sở Tài chính"),
        (2, "Kế hoạch phòng, chống thiên tai mùa mưa bão", "Sở Nông nghiệp và Môi trường"),
        (3, "Đầu tư hệ thống quan trắc môi trường tự động", "Sở Tài nguyên và Môi trường"))]
    members = [{"name": f"m{i}", "role": "member" if i else "chair"} for i in range(12)]
    window.grid.dispatch([
        _live("state", {"meeting": {"title": "Phiên họp thường kỳ UBND tỉnh", "state": "open", "agenda": agenda,
                                    "members": members}, "item": agenda[1], "present": 11, "now": now}),
        _live("speaking", {"speaker": {"name": "m3", "display_name": "Lê Thị Hạnh", "granted": now - 134,
                                       "limit_s": 300, "requested": 0, "ended": 0, "meeting": "hop-1"},
                           "queue": [{"display_name": n, "name": n} for n in ("Trần Quốc Bảo", "Nguyễn Thị Lan")],
                           "now": now}),
        _live("poll", {"poll": {"title": "Thông qua Kế hoạch phòng, chống thiên tai mùa mưa bão", "state": "closed",
                                "secret": False, "options": ["Đồng ý", "Không đồng ý", "Không biểu quyết"],
                                "closed": now}, "tally": {"counts": [9, 1, 1], "ballots": 11, "eligible": 11},
                       "now": now})])
    qtbot.wait(200)
    assert window.scene_name == "phong-hop"
    shot = _shot(window, "wall-meeting", tmp_path, qtbot)
    assert shot.exists()
    texts = " ".join(label.text() for label in window.findChildren(type(window.title_label)))
    assert "Kế hoạch phòng, chống thiên tai mùa mưa bão" in texts and "Lê Thị Hạnh" in texts
    assert "9 · 81,8 %" in texts
    cache.close()


@pytest.fixture
def secretary_terminal(app, vietnamese, qtbot, tmp_path):
    session, window = _terminal(tmp_path, Principal("thuky", Role.SECRETARY, "tinh", "Trần Thu Hà", "leader-1"))
    yield session, window
    session.shutdown()


def test_the_secretary_prepares_the_meeting_from_the_tablet(secretary_terminal, qtbot, tmp_path):
    from feeds.meetings.pdf_papers import make_paper

    session, window = secretary_terminal
    view = window.pages.widget(1)
    controller = session.meeting_controllers[0]
    window.show_page(view)
    qtbot.waitUntil(lambda: view.meeting is not None and view.tabs.isTabVisible(view.secretary_tab), timeout=20_000)
    _tab(qtbot, view, view.secretary_tab)
    panel = view.secretary
    service = session.office.service
    meeting = view.meeting["id"]
    panel.item_title.setText("Kiến nghị của cử tri")
    panel.item_presenter.setText("Văn phòng UBND tỉnh")
    _tap(qtbot, panel, "Thêm")
    qtbot.waitUntil(lambda: len(view.meeting["agenda"]) == 4, timeout=10_000)
    pdf = tmp_path / "kien-nghi.pdf"
    pdf.write_bytes(make_paper("UBND tỉnh Thanh Hóa", "Tổng hợp kiến nghị cử tri", [("Nội dung", "Kiến nghị.")]))
    controller.pick_pdf = lambda: str(pdf)
    panel.paper_item.setCurrentIndex(3)
    panel.paper_title.setText("Tổng hợp kiến nghị cử tri")
    _tap(qtbot, panel, "Chọn tệp PDF")
    qtbot.waitUntil(lambda: any(p.agenda_item == 4 for p in service.store.papers(meeting)), timeout=10_000)
    panel.notes.setPlainText("Chủ trì kết luận: thống nhất thông qua kế hoạch.")
    _tap(qtbot, panel, "Lưu ghi chép")
    qtbot.waitUntil(lambda: service.store.notes(meeting).startswith("Chủ trì kết luận"), timeout=10_000)
    panel.form_title.setText("Lấy ý kiến về kiến nghị cử tri")
    panel.form_questions.setPlainText("Thống nhất nội dung trả lời\nThống nhất thời hạn giải quyết")
    _tap(qtbot, panel, "Tạo phiếu")
    qtbot.waitUntil(lambda: len(service.opinions.forms(meeting)) == 2, timeout=10_000)
    _tap(qtbot, panel, "Trình chủ trì")
    new = service.opinions.forms(meeting)[1]
    qtbot.waitUntil(lambda: service.opinions.get(new.id).state.value == "submitted", timeout=10_000)
    chair = Principal("lanhdao", Role.LEADER, "tinh", "Phạm Minh Đức", "leader-2", "office")
    service.approve_opinion(chair, new.id)
    controller.choose(meeting)
    _tap(qtbot, panel, "Gửi")
    qtbot.waitUntil(lambda: service.opinions.get(new.id).state.value == "sent", timeout=10_000)
    assert len(service.opinions.get(new.id).recipients) == 2  # the chair and the member; not the secretary
    _shot(window, "meeting-secretary", tmp_path, qtbot)
    _tap(qtbot, panel, "Tổng hợp")
    qtbot.waitUntil(lambda: "chưa trả lời" in panel.summary.text().lower() or "Chưa" in panel.summary.text(),
                    timeout=10_000)
    service.set_state(chair, meeting, type(service.store.meeting(meeting).state)("open"))
    service.set_state(chair, meeting, type(service.store.meeting(meeting).state)("closed"))
    _tap(qtbot, panel, "Lập biên bản")
    qtbot.waitUntil(lambda: "ký số" in view.message.text(), timeout=20_000)
    assert [d.kind for d in service.issued(chair, meeting)] == ["minutes"]
    # a new meeting tomorrow, with its members, prepared from the same tablet
    _tap(qtbot, view, "›")
    qtbot.waitUntil(lambda: view.meeting is None, timeout=10_000)
    _tap(qtbot, view, "+ Cuộc họp mới")
    view.new_title.setText("Giao ban trực tuyến với các xã")
    view.new_time.setText("14:30")
    view.new_place.setText("Phòng họp trực tuyến")
    _tap(qtbot, view, "Tạo cuộc họp")
    qtbot.waitUntil(lambda: view.meeting is not None and view.meeting["title"] == "Giao ban trực tuyến với các xã",
                    timeout=10_000)
    assert time.localtime(view.meeting["starts"]).tm_hour == 14
    qtbot.waitUntil(lambda: view.tabs.isTabVisible(view.secretary_tab), timeout=10_000)
    _tab(qtbot, view, view.secretary_tab)
    panel.member_name.setText("lanhdaotruc")
    panel.member_role.setCurrentIndex(panel.member_role.findData("chair"))
    _tap(qtbot, panel, "Thêm vào cuộc họp")
    qtbot.waitUntil(lambda: any(m["name"] == "lanhdaotruc" and m["role"] == "chair"
                                for m in view.meeting["members"]), timeout=10_000)
