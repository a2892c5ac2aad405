"""Actions are checked where they are carried out: a role or unit that may not act is told why, nothing is done,
and the refusal is audited."""

from __future__ import annotations

import time
from dataclasses import replace

from desktop.config.loader import default_config_text, parse_config
from desktop.session import GuiOptions, Session
from feeds.core.records import AlertAction, AlertEvent, Severity
from tests.support.people import AIR_OPERATOR, LEADER
from widgets.base.registry import tile_types

CONFIG = parse_config(default_config_text(), "site.toml", tile_types())
QUIET = replace(CONFIG, feeds={name: CONFIG.feeds[name] for name in ("ioc", "traffic")})


def _session(tmp_path, principal, language="vi"):
    return Session(QUIET, GuiOptions(roles=("operator", "wall"), cache_path=tmp_path / "s.sqlite", language=language,
                                     principal=principal))


def test_a_leader_may_not_push_a_scene_and_is_told_why(app, qtbot, tmp_path):
    session = _session(tmp_path, LEADER)
    try:
        wall = session.terminals[0]
        before = wall.scene_name
        session.operator.show_layout("hanh-chinh")
        session.operator.push("wall-1/0")
        assert "Lãnh đạo" in session.operator.statusBar().currentMessage()
        qtbot.wait(300)
        assert wall.scene_name == before and not session.cache.scene_log()
        refused = [e for e in session.identity.audit.entries() if e.outcome == "refused"]
        assert [(e.actor, e.action, e.target) for e in refused] == [("lanhdao", "scene.push", "wall-1/0")]
        assert not session.operator.save_scene("của lãnh đạo")  # saving a scene is refused too
    finally:
        session.shutdown()


def test_a_department_acts_on_its_own_domains_alerts_only(app, qtbot, tmp_path):
    session = _session(tmp_path, AIR_OPERATOR, language="en")
    session.start()
    try:
        now = time.time()
        for key, domain_source in (("air/st-1/aqi", "air"), ("vessel/TH-1/distress", "fleet")):
            session.hub.submit(AlertEvent(id=f"{key}/1", key=key, severity=Severity.WARNING, ts=now,
                                          source=domain_source, title=key, title_en=key))
        panel = session.alert_panel
        shown = lambda: [panel.model.alert_at(r) for r in range(panel.model.rowCount())]  # noqa: E731
        qtbot.waitUntil(lambda: len(shown()) >= 2, timeout=15_000)
        by_domain = {a.domain: a for a in shown()}
        assert {"air", "vessel"} <= set(by_domain)
        for alert in (by_domain["air"], by_domain["vessel"]):
            session.act(AlertAction(id=f"ack-{alert.id}", alert_id=alert.id, action="ack", by=AIR_OPERATOR.name,
                                    ts=time.time()))
        qtbot.waitUntil(lambda: panel.alert(by_domain["air"].id).acked_by == AIR_OPERATOR.name, timeout=10_000)
        assert "Outside your unit" in panel.refusal.text() and panel.refusal.isVisible()
        assert not panel.alert(by_domain["vessel"].id).acked_by
        checks = [(e.action, e.outcome) for e in session.identity.audit.entries() if e.action == "alert.ack"]
        assert checks == [("alert.ack", "ok"), ("alert.ack", "refused")]
    finally:
        session.shutdown()


def test_a_changed_configuration_shows_in_the_audit_trail(app, qtbot, tmp_path):
    from desktop.config.loader import load_config

    path = tmp_path / "site.toml"
    path.write_text(default_config_text(), encoding="utf-8")
    options = GuiOptions(roles=("wall",), cache_path=tmp_path / "w.sqlite", identity_path=tmp_path / "id.sqlite")
    for text in (default_config_text(), default_config_text(), default_config_text().replace("900", "600", 1)):
        path.write_text(text, encoding="utf-8")
        session = Session(load_config(path, tile_types()), options)
        session.audit_configuration()
        session.shutdown()
    session = Session(load_config(path, tile_types()), options)
    actions = [e.action for e in session.identity.audit.entries() if e.action.startswith("config")]
    session.shutdown()
    assert actions == ["config.load", "config.load", "config.load", "config.change"]


def test_an_administrator_unlocks_a_locked_account_from_the_console(app, qtbot, tmp_path):
    from PySide6.QtWidgets import QPushButton

    from feeds.identity.roles import Principal, Role

    admin = Principal("quantri", Role.ADMINISTRATOR, "tinh", "Quản trị", source="test")
    session = _session(tmp_path, admin)
    try:
        assert session.accounts_dock.isVisibleTo(session.operator)
        for i in range(5):
            session.identity.signin.sign_in("an", f"sai-{i}", "console-1")  # an unknown name locks too
        session.refresh_locked()
        panel = session.accounts_panel
        qtbot.waitUntil(lambda: panel.findChild(QPushButton, "unlock_an") is not None, timeout=5000)
        panel.findChild(QPushButton, "unlock_an").click()
        qtbot.waitUntil(lambda: "an unlocked" in panel.message.text(), timeout=5000)
        assert session.identity.accounts.failures("an").count == 0
        assert [(e.actor, e.action, e.target) for e in session.identity.audit.entries() if e.action == "unlock"] == [
            ("quantri", "unlock", "an")]
        session.gate.sign_out()
        assert not session.accounts_dock.isVisibleTo(session.operator)
    finally:
        session.shutdown()
