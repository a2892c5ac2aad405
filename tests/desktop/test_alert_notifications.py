"""A rule configured in [alerts] mails and posts its alert from the ingest process a console starts."""

from __future__ import annotations

from feeds.core.domain import processor_specs
from feeds.store import Cache


def test_a_configured_rule_mails_and_posts_its_alert_from_the_ingest_process(app, qtbot, tmp_path, mailbox,
                                                                               http_servers, monkeypatch) -> None:
    """The whole path: simulator → rule (in the ingest process) → alert → queued deliveries → outcomes in
    the alert's history, with the webhook failing once."""
    from desktop.config.loader import default_config_text, parse_config
    from desktop.hub import FeedHub
    from widgets.base.registry import tile_types

    box, port = mailbox
    monkeypatch.setenv("IOC_SMTP_PASSWORD", "mat-khau-8")
    portal = http_servers(lambda n, body: 500 if n == 1 else 200)
    text = default_config_text().replace("send_notifications = false", "send_notifications = true").replace(
        "limit = 40\nclear_at = 35\n", 'limit = -1\nclear_at = -2\nnotify = ["email", "portal"]\n') + f"""
[alerts.channels.email]
host = "127.0.0.1"
port = {port}
sender = "ioc@thanhhoa.gov.vn"
to = ["trucban@thanhhoa.gov.vn"]
username = "ioc"
password_env = "IOC_SMTP_PASSWORD"
[alerts.channels.portal]
type = "webhook"
url = "{portal.url}"
"""
    config = parse_config(text, "site.toml", tile_types())
    cache = Cache(tmp_path / "console.sqlite")
    hub = FeedHub({"ioc": config.feeds["ioc"]}, str(cache.path),
                  processors=processor_specs(config.domains, list(config.feeds.values())))
    hub.start()
    try:
        _, mail, envelope = box.next(timeout=30)
        assert envelope.rcpt_tos == ["trucban@thanhhoa.gov.vn"]
        assert mail["Subject"].startswith("[IOC] CẢNH BÁO / WARNING: Phản ánh quá hạn:")
        qtbot.waitUntil(lambda: len(portal.seen) == 2, timeout=20_000)
        assert portal.seen[1].body["rule"] == "phan-anh-qua-han"
        (alert,) = [a for a in cache.alert_states() if a.rule == "phan-anh-qua-han"]

        def outcomes() -> list[tuple[str, str]]:
            return [(a.action, a.by) for a in cache.alert_history(alert.id) if a.action.startswith("notif")]

        qtbot.waitUntil(lambda: len(outcomes()) == 3, timeout=10_000)
        assert sorted(outcomes()) == [("notified", "email"), ("notified", "portal"), ("notify_failed", "portal")]
        assert cache.run("SELECT channel, state, attempts FROM deliveries ORDER BY channel") == [
            ("email", "sent", 1), ("portal", "sent", 2)]
    finally:
        hub.stop()
        cache.close()
