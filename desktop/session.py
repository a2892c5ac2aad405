"""The composition root: the roles of one process, their windows, bound to one feed hub and the domains."""

from __future__ import annotations

import hashlib
import logging
import signal
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from desktop.application import install_translators, make_application, resource_path
from desktop.conference.call import CallController
from desktop.conference.embedded import EmbeddedConference
from desktop.conference.invitations import send_invitations
from desktop.config.loader import DEFAULT_CONFIG_NAME, AppConfig
from desktop.hub import FeedHub
from desktop.identity.gate import SignInGate, run_off_gui
from desktop.identity.kiosk_exit import KioskExit
from desktop.identity.setup import DEMO_PASSWORD, open_identity
from desktop.meetings.controller import MeetingController
from desktop.meetings.embedded import EmbeddedOffice
from desktop.scenes import layout_of, remembered_layout, scene_topic_filter
from desktop.systemd import SystemdNotifier
from desktop.windows.alert_sound import AlertSound
from desktop.windows.alert_wall import AlertWall
from desktop.windows.basemap import basemap_url
from desktop.windows.cameras import CameraManager
from desktop.windows.conference import ConferenceManager
from desktop.windows.kiosk import make_kiosk, release
from desktop.windows.operator import OperatorWindow
from desktop.windows.screens import ScreenManager
from desktop.windows.terminal import TerminalWindow
from feeds.alerts.config import AlertsConfig
from feeds.alerts.procedures import SopLibrary
from feeds.conference.commune_call import invitation, room_for_alert
from feeds.conference.naming import Who
from feeds.conference.settings import ConferenceSettings
from feeds.core.domain import domains, processor_specs
from feeds.core.records import Alert, AlertAction, AlertEvent, Record, SceneCommand, Severity
from feeds.identity.audit_relay import AuditRelay
from feeds.identity.roles import ALERT_ACTIONS, ROLE_TITLES, RULES, Decision, Principal, Role, Target, authorize
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings
from feeds.identity.signin import device_principal
from feeds.meetings.settings import OfficeSettings
from feeds.store import Cache
from feeds.video.config import CameraConfig
from feeds.video.frames import StreamHealth, StreamState
from widgets.alerts.panel import AlertPanel
from widgets.base.tile import TileContext
from widgets.conference.call_panel import CallPanel
from widgets.identity.locked_accounts import LockedAccounts, LockedName
from widgets.meetings.meeting_view import MeetingView

log = logging.getLogger(__name__)
ALERT_ACTION_TOPICS = "ioc/v1/alert_action/#"


@dataclass(frozen=True)
class GuiOptions:
    roles: tuple[str, ...]
    cache_path: Path
    kiosk: bool = False
    screens: tuple[int, ...] | None = None
    screenshot: Path | None = None
    quit_after_s: float | None = None
    language: str | None = None
    identity_path: Path | None = None  # the accounts and audit database (default: [identity] database)
    principal: Principal | None = None  # already signed in (`demo --as NAME`, tests); None: the sign-in screen


def domain_procedures() -> list[Path]:
    """The SOP files every domain declares (relative ones are inside the bundled resources)."""
    files = [Path(file) for domain in domains() for file in domain.procedures]
    return [file if file.is_absolute() else resource_path(*file.parts) for file in files]


def config_digest(source: str) -> str:
    """SHA-256 of the configuration file (audited at start, so a changed configuration shows in the trail)."""
    try:
        return "sha256 " + hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError:
        return "built-in"


class Session(QObject):
    """Everything one process shows: the roles it runs, their windows, bound to one feed hub."""

    _identity_done = Signal(str, object)  # results of identity work done off the GUI thread
    _invitations_done = Signal(str, object)  # a commune call's invitations: (room, outcomes or the error)

    def __init__(self, config: AppConfig, options: GuiOptions) -> None:
        super().__init__()
        self.closed = False  # shut down: late deliveries are ignored
        self.config = config
        self.options = options
        self.language = options.language or config.language
        self.alerts_config: AlertsConfig = config.section("alerts")  # the domains this session wires itself
        self.camera_configs: dict[str, CameraConfig] = config.section("cameras")
        self.identity_settings: IdentitySettings = config.section("identity")
        self.terminal = self._terminal_name()
        self.identity: Identity = open_identity(self.identity_settings, self.terminal, options.identity_path,
                                                demo=config.source == DEFAULT_CONFIG_NAME)
        self.cache = Cache(options.cache_path, history_points=config.history_points)
        if self.cache.moved_aside:
            log.error("the cache was damaged and has been rebuilt; the old file is %s", self.cache.moved_aside)
        self.hub = FeedHub(self._feeds_with_extra_topics(), str(options.cache_path), role="-".join(options.roles),
                           history_points=config.history_points,
                           processors=processor_specs(config.domains, list(config.feeds.values()),
                                                      list(config.layouts.values()), str(options.cache_path)),
                           retention=config.retention)
        self.context = TileContext(language=self.language, stale_after_s=config.stale_after_s,
                                   feed_stale_after_s={n: self.hub.stale_after_s(n) for n in config.feeds},
                                   settings=config.domains, basemap=basemap_url)
        self.operator: OperatorWindow | None = None
        self.terminals: list[TerminalWindow] = []
        self.windows: list[QWidget] = []
        self.notifier = SystemdNotifier()
        self._build_windows()
        self.cameras = CameraManager(self.camera_configs, self.language)  # live video: workers bound to camera tiles
        for grid in self.grids():
            self.cameras.attach(grid)
        if self.operator is not None and self.camera_configs:
            self.cameras.attach_operator(self.operator)
        self.cameras.healthChanged.connect(self.on_camera_health)
        self.conferences = ConferenceManager(config.domains.get("conference"), f"IOC · {self.terminal}", self)
        for grid in self.grids():
            self.conferences.attach(grid)
        self._camera_lost: dict[str, bool] = {}
        self.alert_wall = AlertWall(self.terminals, config.layouts, self.language,
                                    self.alerts_config.banner_min_severity, self.alerts_config.popup, parent=self)
        self.alert_panel = self._build_alert_panel() if self.operator is not None else None
        self.office = self._build_office()
        self.meeting_controllers = self._build_meeting_views()
        self.calls = self._build_calls()
        self.demo_conference = self._build_demo_conference()
        if self.conferences.members:  # a screen already shows a room
            self._want_demo_conference()
        self._bind_commune_calls()
        self.gate = self._build_gate()
        self.kiosk_exits = [KioskExit(self.identity, w, self.terminal, self.language)
                            for w in self.terminals if self.options.kiosk or self.config.roles[w.role].kiosk]
        self.audit_relay = self._build_audit_relay()
        self._show_last_known()
        self.hub.recordsArrived.connect(self.on_records)
        self.hub.statusChanged.connect(self.on_status)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start(1000)

    def _build_office(self) -> EmbeddedOffice | None:
        """The demo runs its own office service (with today's demo meeting); a site names its service's url."""
        if self.config.source != DEFAULT_CONFIG_NAME or not any(
                self.config.roles[r].terminal and r != "operator" for r in self.options.roles):
            return None
        office = EmbeddedOffice(self.identity, Path(platformdirs.user_data_dir("controlroom")) / "demo-office",
                                self.config.domains.get("office"))
        office.sink.records.connect(self.on_records)
        return office

    def _office_ready(self) -> None:
        if self.options.principal is not None and not self.closed:  # the demo's accounts share a public password
            for controller in self.meeting_controllers:
                controller.sign_in(self.options.principal.name, DEMO_PASSWORD)

    def _office_failed(self, why: str) -> None:
        for controller in self.meeting_controllers:
            controller.view.show_message(self.tr("The meeting service could not start: %1").replace("%1", why))

    def _build_meeting_views(self) -> list[MeetingController]:
        settings: OfficeSettings | None = self.config.domains.get("office")
        url = self.office.url if self.office is not None else (settings.url if settings else "")
        if not url:
            return []
        controllers = []
        for window in self.terminals:
            if window.role != "leader":
                continue
            view = MeetingView(self.language)
            window.add_page(self.tr("Meetings"), view)
            controllers.append(MeetingController(view, url, window.target.replace("/", "-"), self.language,
                                                 settings.ca_certs if settings else None))
        return controllers

    def _build_calls(self) -> list[CallController]:
        """The conference page of each leader terminal and a dock on the operator console, if the site has rooms."""
        settings: ConferenceSettings | None = self.config.domains.get("conference")
        if settings is None or not settings.rooms:
            return []
        rooms = [(r.name, r.description) for r in settings.rooms.values()]
        calls = []
        for window in [w for w in self.terminals if w.role == "leader"] + ([self.operator] if self.operator else []):
            panel = CallPanel(rooms)
            if isinstance(window, TerminalWindow):
                window.add_page(self.tr("Conference"), panel)
            else:
                window.add_panel_dock(self.tr("Conference"), panel, "conferenceDock")
            call = CallController(panel, settings, self._conference_who, self.check, self.language, self)
            calls.append(call)
            for meeting in self.meeting_controllers:  # a leader shows a paper in the conference from its viewer
                if meeting.view.window() is window:
                    meeting.view.viewer.share_button.show()
                    viewer = meeting.view.viewer
                    viewer.shareToggled.connect(lambda on, c=call, v=viewer: c.share_paper(on, v.page_image)
                                                or v.share_button.setChecked(False))
                    call.sharingStopped.connect(lambda v=viewer: v.share_button.setChecked(False))
        return calls

    def _build_demo_conference(self) -> EmbeddedConference | None:
        """The demo starts its own Janus (if installed) with a simulated station in the room."""
        settings: ConferenceSettings | None = self.config.domains.get("conference")
        if self.config.source != DEFAULT_CONFIG_NAME or settings is None or not settings.rooms:
            return None
        folder = Path(platformdirs.user_data_dir("controlroom")) / "demo-janus"
        self.conferences.room_wanted.append(self._want_demo_conference)
        for call in self.calls:
            call.panel.joinRequested.connect(lambda _room: self._want_demo_conference())
        return EmbeddedConference(settings, folder)

    def _want_demo_conference(self) -> None:
        """A room is shown or joined: the demo's Janus starts now (once), and says so if it cannot."""
        if self.demo_conference is not None and self.demo_conference.starting is None:
            self.demo_conference.start()
            QTimer.singleShot(20_000, self._demo_conference_problem)

    def _demo_conference_problem(self) -> None:
        if self.demo_conference is not None and self.demo_conference.problem and not self.closed:
            for call in self.calls:
                call.panel.show_status(self.tr("No demo conference: %1").replace("%1", self.demo_conference.problem))

    def _bind_commune_calls(self) -> None:
        """The alert panel's "Call the commune": for alerts near a room's place, on the operator console."""
        settings: ConferenceSettings | None = self.config.domains.get("conference")
        if self.alert_panel is None or self.operator is None or settings is None or not self.calls:
            return

        def room_for(alert: Alert) -> str:
            room = room_for_alert(settings, alert)
            return room.description if room is not None else ""

        self.alert_panel.room_for = room_for
        self.alert_panel.callRequested.connect(self.call_commune)
        self._invitations_done.connect(self._invitations_sent)

    def call_commune(self, alert_id: str) -> None:
        """One action: the room's wall preset up, the alert's procedure open, the commune's room joined, its members
        invited through the alert channels — each step checked, audited and said on the console."""
        settings: ConferenceSettings | None = self.config.domains.get("conference")
        alert = self.alert_panel.alert(alert_id) if self.alert_panel is not None else None
        room = room_for_alert(settings, alert) if settings is not None and alert is not None else None
        call = self.calls[-1]  # the operator's (built last)
        if room is None or alert is None or self.operator is None:
            return
        decision = self.check("conference.publish", Target(domain=alert.domain, detail=f"{room.name} alert {alert.id}"))
        if not decision.allowed:
            self.operator.statusBar().showMessage(self.tr("Refused: %1").replace(
                "%1", decision.reason(self.language)), 10000)
            return
        pushed = bool(room.preset) and self.operator.push_preset(room.preset, room.wall)
        self.alert_panel.start_selected()
        if call.member is not None and call.room is not None and call.room.name != room.name:
            call.leave()  # in another room: this alarm's commune comes first
        call.panel.rooms.setCurrentIndex(call.panel.rooms.findData(room.name))
        if call.member is None:
            call.join(room.name)
        if room.preset and not pushed:
            self.operator.statusBar().showMessage(self.tr("The wall preset %1 was not put up on %2").replace(
                "%1", room.preset).replace("%2", room.wall), 10000)
        dock = self.operator.findChild(QDockWidget, "conferenceDock")
        if dock is not None:
            dock.show()
            dock.raise_()
        principal = self.principal
        invite = invitation(alert, room, principal.label if principal else self.terminal, time.time())
        channels = self.alerts_config.spec.channels
        run_off_gui(self._invitations_done, room.name, lambda: send_invitations(invite, channels))

    def _invitations_sent(self, room: str, result: object) -> None:
        principal = self.principal
        outcomes = [] if isinstance(result, Exception) else list(result)  # type: ignore[call-overload]
        sent = [name for name, attempt in outcomes if not isinstance(attempt, str) and not attempt.error]
        failed = [f"{name}: {attempt if isinstance(attempt, str) else attempt.error}" for name, attempt in outcomes
                  if isinstance(attempt, str) or attempt.error]
        if isinstance(result, Exception):
            failed.append(str(result))
        self.identity.audit.append(principal.name if principal else "(nobody)", principal.unit if principal else "",
                                   "conference.invite", room, "ok" if not failed else "failed",
                                   "; ".join(sent + failed))
        settings: ConferenceSettings | None = self.config.domains.get("conference")
        title = settings.rooms[room].description if settings is not None and room in settings.rooms else room
        text = self.tr("Invited to %1: %2").replace("%1", title).replace("%2", ", ".join(sent) or "—")
        if failed:
            text += " · " + self.tr("not sent: %1").replace("%1", "; ".join(failed))
        for call in self.calls[-1:]:
            call.panel.show_status(text)

    def _conference_who(self) -> Who:
        principal = self.principal
        if principal is None:
            return Who(self.terminal)
        unit = self.identity_settings.units.units.get(principal.unit)
        return Who(principal.label, unit.title if unit is not None else principal.unit)

    def _build_audit_relay(self) -> AuditRelay | None:
        """This terminal's audit entries go to the site-wide collector through the broker of [identity] audit_feed."""
        feed = self.config.feeds.get(self.identity_settings.audit_feed)
        if feed is None:
            return None
        relay = AuditRelay(self.identity.path, feed.address, self.terminal, feed.options)
        self.identity.audit.listeners.append(relay.notify)
        return relay

    def _terminal_name(self) -> str:
        roles = [self.config.roles[r] for r in self.options.roles if r in self.config.roles]
        person = [r for r in roles if r.role != "wall"]
        return (person or roles)[0].terminal if roles else "controlroom"

    def _build_gate(self) -> SignInGate | None:
        """Operator and leader windows open on the sign-in screen; walls sign in as devices, never at a screen."""
        person_windows: list[QWidget] = [w for w in self.windows if getattr(w, "role", "operator") != "wall"]
        if not person_windows:
            return None
        hint = (self.tr("Demo accounts: trucban, lanhdaotruc, lanhdao, quantri — password %1").replace(
            "%1", DEMO_PASSWORD) if self.config.source == DEFAULT_CONFIG_NAME else "")
        gate = SignInGate(self.identity, person_windows, self.language, self.terminal, hint, parent=self)
        gate.signedIn.connect(self.on_signed_in)
        gate.signedOut.connect(self.on_signed_out)
        for controller in self.meeting_controllers:
            gate.credential_listeners.append(lambda principal, password, c=controller: c.sign_in(principal.name,
                                                                                                 password))
        if self.operator is not None:
            self.operator.guard = self.check
            self._build_accounts_panel()
            self.operator.signOutRequested.connect(gate.sign_out)
        for window in self.terminals:
            if window.role != "wall":
                window.signOutRequested.connect(gate.sign_out)
        if self.options.principal is not None:
            gate.admit(self.options.principal)
        return gate

    @property
    def principal(self) -> Principal | None:
        """The person signed in at this terminal (None before sign-in and for a wall-only process)."""
        return self.gate.principal if self.gate is not None else None

    def check(self, action: str, target: Target) -> Decision:
        """Checked (and audited) where the action is carried out: who is signed in may do this, or why not."""
        return self.identity.check(self.principal, action, target)

    def _build_accounts_panel(self) -> None:
        self.accounts_panel = LockedAccounts()
        self.accounts_dock = self.operator.add_accounts_dock(self.accounts_panel)
        self.accounts_dock.hide()
        self.accounts_panel.refreshRequested.connect(self.refresh_locked)
        self.accounts_panel.unlockRequested.connect(self.unlock_account)
        self._identity_done.connect(self._show_locked)

    def refresh_locked(self, message: str = "") -> None:
        run_off_gui(self._identity_done, message, lambda: [LockedName(*row) for row in self.identity.accounts.locked()])

    def _show_locked(self, message: str, result: object) -> None:
        if isinstance(result, Exception):
            self.accounts_panel.show_locked([], self.tr("The account database cannot be read: %1").replace(
                "%1", str(result)))
        else:
            self.accounts_panel.show_locked(result, message)

    def unlock_account(self, name: str) -> None:
        decision = self.check("users.manage", Target(detail=name))
        if not decision.allowed:
            self.accounts_panel.show_locked([], self.tr("Refused: %1").replace("%1", decision.reason(self.language)))
            return
        principal = self.principal
        run_off_gui(self._identity_done, self.tr("%1 unlocked").replace("%1", name), lambda: (
            self.identity.signin.unlock(name, principal, self.terminal),
            [LockedName(*row) for row in self.identity.accounts.locked()])[1])

    def on_signed_in(self, principal: Principal) -> None:
        if self.operator is not None:
            administrator = principal.role is Role.ADMINISTRATOR
            self.accounts_dock.setVisible(administrator)
            if administrator:
                self.refresh_locked()
        vi, en = ROLE_TITLES[principal.role]
        label = f"{principal.label} · {vi if self.language == 'vi' else en}"
        if self.operator is not None:
            self.operator.set_user(principal.name, label)
        if self.alert_panel is not None:
            allowed = {code for code, action in ALERT_ACTIONS.items() if principal.role in RULES[action].roles}
            self.alert_panel.set_user(principal.name, allowed)
        for window in self.terminals:
            window.show_user(label)

    def on_signed_out(self) -> None:
        for controller in self.meeting_controllers:
            controller.sign_out()
        for call in self.calls:
            call.leave()
        if self.operator is not None:
            self.operator.set_user("", "")
            self.accounts_dock.hide()
        if self.alert_panel is not None:
            self.alert_panel.set_user("", set())
        for window in self.terminals:
            window.show_user("")

    def _feeds_with_extra_topics(self) -> dict:
        """Subscribe the scene feed to this process's terminals' scenes, the alert feed to alert actions."""
        feeds = dict(self.config.feeds)
        extra = {self.config.scene_feed: [scene_topic_filter(self.config.roles[r].terminal)
                                          for r in self.options.roles if r != "operator" and r in self.config.roles]}
        extra.setdefault(self.alerts_config.spec.feed, []).append(ALERT_ACTION_TOPICS)
        for name, topics in extra.items():
            feed = feeds.get(name)
            if feed and feed.address.startswith("mqtt") and topics:
                options = dict(feed.options)
                options["topics"] = [*options.get("topics", []), *topics]
                feeds[name] = type(feed)(feed.name, feed.address, options)
        return feeds

    def _build_alert_panel(self) -> AlertPanel:
        alerts = self.alerts_config
        procedures = SopLibrary.load(alerts.sop_dir) if alerts.sop_dir else SopLibrary.load_files(domain_procedures())
        for error in procedures.errors:
            log.error("procedure library: %s", error)
        panel = AlertPanel("", self.language, procedures, alerts.assignees)
        panel.set_user("", set())  # nothing until someone signs in
        panel.actionRequested.connect(self.act)
        panel.alertSelected.connect(lambda alert_id: panel.show_history(alert_id, self.cache.alert_history(alert_id)))
        self.sound = AlertSound(parent=self)  # the bundled sound
        self.sound.muted = not alerts.sound
        self.operator.add_alert_panel(panel, sound_available=self.sound.available or self.sound.muted,
                                      muted=self.sound.muted)
        self.operator.muteToggled.connect(lambda muted: setattr(self.sound, "muted", muted))
        return panel

    def _build_windows(self) -> None:
        for role in self.options.roles:
            role_config = self.config.roles[role]
            if role == "operator":
                self.operator = OperatorWindow(self.context, self.cache, self.config.layouts,
                                               self.config.scene_targets, "")
                self.operator.show_layout(role_config.screens[0])
                self.operator.pushRequested.connect(self.push_scene)
                self.windows.append(self.operator)
                continue
            for index, layout_name in enumerate(role_config.screens):
                window = TerminalWindow(role_config.terminal, index, self.context, self.cache, role=role)
                remembered = remembered_layout(self.cache, window.target)
                scene, layout = remembered or (layout_name, self.config.layouts[layout_name])
                window.apply(scene, layout)
                if self.options.kiosk or role_config.kiosk:
                    make_kiosk(window)
                self.terminals.append(window)
                self.windows.append(window)
        kiosk = self.options.kiosk or any(self.config.roles[r].kiosk for r in self.options.roles)
        self.screens = ScreenManager(self.windows, list(self.options.screens) if self.options.screens else None,
                                     fullscreen=kiosk)

    def _show_last_known(self) -> None:
        """Offline start: every tile gets its cached value, stamped with its age; the alerts as they were."""
        known = self.cache.alert_states(limit=2000)[::-1]
        if self.alert_panel is not None:
            self.alert_panel.update_alerts(known)
            self.alert_panel.soundRequested.connect(self.sound.play)  # only for alerts raised from now on
        self.alert_wall.show_alerts(known, live=False)
        latest = list(self.cache.latest().values())  # (fleet tiles start from the stored fleet themselves)
        if latest:
            self.on_records(sorted(latest, key=lambda r: r.ts))
            self.tick()

    def grids(self) -> list:
        grids = [t.grid for t in self.terminals]
        return [self.operator.grid, *grids] if self.operator else grids

    def start(self) -> None:
        if self.office is not None:
            self.office.sink.ready.connect(self._office_ready)
            self.office.sink.failed.connect(self._office_failed)
            self.office.start()
        self.screens.place_all()
        self.hub.start()
        self.conferences.start()
        if self.audit_relay is not None:
            self.audit_relay.start()
        self.audit_configuration()
        self.notifier.notify("READY=1")
        if self.options.quit_after_s is not None:
            QTimer.singleShot(int(self.options.quit_after_s * 1000), self.finish)

    def audit_configuration(self) -> None:
        """The configuration this terminal runs with, by its SHA-256; a different one than last time is a change."""
        digest = config_digest(self.config.source)
        previous = self.identity.audit.last("config.load", self.config.source)
        self.identity.record(None, "config.load", self.config.source, detail=digest)
        if previous is not None and previous.detail != digest:
            self.identity.record(None, "config.change", self.config.source, detail=f"{previous.detail} → {digest}")
            log.warning("the configuration %s changed since the last start", self.config.source)

    def on_records(self, records: list[Record]) -> None:
        if self.closed:  # delivered after shutdown (queued by the hub's reader before it ended)
            return
        scenes = [r for r in records if isinstance(r, SceneCommand)]
        for command in scenes:
            self.apply_scene(command)
        alerts = [r for r in records if isinstance(r, Alert)]
        if alerts:
            self.show_alerts(alerts)
        if self.alert_panel is not None and self.alert_panel.selected_alert_id:
            selected = self.alert_panel.selected_alert_id
            if any(isinstance(r, (AlertAction, Alert)) and selected in (getattr(r, "alert_id", ""), r.id)
                   for r in records):
                self.alert_panel.show_history(selected, self.cache.alert_history(selected))
        for grid in self.grids():
            grid.dispatch(records)
        for controller in self.meeting_controllers:
            controller.on_records(records)

    def show_alerts(self, alerts: list[Alert]) -> None:
        if self.alert_panel is not None:
            self.alert_panel.update_alerts(alerts)
        self.alert_wall.show_alerts(alerts)

    def act(self, action: AlertAction) -> None:
        """An operator's action on an alert, if their role and unit allow it; kept in the cache even while the
        ingest process restarts."""
        alert = self.cache.alert_state(action.alert_id)
        decision = self.check(ALERT_ACTIONS.get(action.action, f"alert.{action.action}"),
                              Target(domain=alert.domain if alert else "", detail=action.alert_id))
        if not decision.allowed:
            if self.alert_panel is not None:
                self.alert_panel.show_refusal(self.tr("Refused: %1").replace("%1", decision.reason(self.language)))
            return
        if not self.hub.submit(action):
            self.cache.store([action])

    def on_camera_health(self, camera: str, health: StreamHealth) -> None:
        """A camera whose stream is lost raises an alert (linked to its tile); live again clears it."""
        lost = health.state in (StreamState.LOST, StreamState.ERROR)
        if lost == self._camera_lost.get(camera, False):
            return
        self._camera_lost[camera] = lost
        name = self.camera_configs[camera].name if camera in self.camera_configs else camera
        self.hub.submit(AlertEvent(
            id=f"camera/{camera}/signal/{health.since:.3f}", key=f"camera/{camera}/signal", severity=Severity.WARNING,
            title=f"Camera {name}: mất tín hiệu", title_en=f"Camera {name}: signal lost", detail=health.detail,
            ts=health.since, source="cameras", link=f"camera:{camera}", clear=not lost))

    def apply_scene(self, command: SceneCommand) -> None:
        for window in self.terminals:
            if window.target == command.target:
                device = self._device(window)
                if not self.identity.check(device, "scene.apply", Target(screen=command.target,
                                                                         detail=command.scene)).allowed:
                    return
                layout = layout_of(command)
                if layout is None:
                    self.cache.reject(command.source, f"scene/{command.target}", "malformed layout", "")
                    return
                window.apply(command.scene, layout)
                self.cache.log_scene("apply", command.scene, command.target, command.by or command.source)

    def _device(self, window: TerminalWindow) -> Principal:
        """The terminal itself, applying what the consoles push (the broker's ACL admits only consoles)."""
        unit = self.identity_settings.units.owner(Target(screen=window.target), RULES["scene.apply"].scope)
        device = device_principal(window.terminal, unit)
        return device if window.role == "wall" else Principal(device.name, Role.LEADER, unit, source="device")

    def push_scene(self, command: SceneCommand) -> None:
        """Publish a scene the window asked for (and checked, telling the person): checked here again, and sent
        under the signed-in person's name whatever the command says."""
        principal = self.principal
        if not authorize(principal, "scene.push", Target(screen=command.target), self.identity_settings.units).allowed:
            log.error("scene %r to %s not published: not permitted", command.scene, command.target)
            return
        command = replace(command, by=principal.name)
        if not self.config.scene_feed:
            log.error("no [scenes] feed configured: scene %r cannot be pushed", command.scene)
            return
        self.hub.publish(self.config.scene_feed, command, retain=True)

    def on_status(self, status) -> None:
        if self.closed:
            return
        if self.operator:
            self.operator.show_status(status)
        for window in self.terminals:
            window.show_status(status)

    def tick(self) -> None:
        now = time.time()
        for grid in self.grids():
            grid.tick(now)
        if self.alert_panel is not None:
            self.alert_panel.tick(now)
        if self.operator:
            counters = self.hub.counters
            self.operator.show_counters(counters.stored, counters.duplicates, counters.rejected, counters.disk_full,
                                        str(self.cache.moved_aside) if self.cache.moved_aside else None,
                                        counters.alerts)
        self.notifier.notify("WATCHDOG=1")

    def save_screenshots(self, path: Path) -> list[Path]:
        """One PNG per window: PATH for the first, PATH-1.png, PATH-2.png … for the others."""
        saved = []
        for i, window in enumerate(self.windows):
            target = path if i == 0 else path.with_name(f"{path.stem}-{i}{path.suffix or '.png'}")
            target.parent.mkdir(parents=True, exist_ok=True)
            if window.grab().save(str(target)):
                saved.append(target)
            else:
                log.error("could not write screenshot %s", target)
        return saved

    def finish(self) -> None:
        if self.options.screenshot is not None:
            for saved in self.save_screenshots(self.options.screenshot):
                print(f"screenshot: {saved}", file=sys.stderr)
        self.quit()

    def quit(self) -> None:
        """Leave on purpose (timer, SIGTERM from systemd): kiosk windows may close now."""
        for window in self.windows:
            release(window)
        QApplication.instance().quit()

    def shutdown(self) -> None:
        self.closed = True
        self.ticker.stop()
        self.cameras.stop()
        self.cameras.join(2.0)  # the workers end here, not after the session is let go (see CameraManager)
        self.conferences.stop()
        for call in self.calls:
            call.stop()
        if self.demo_conference is not None:
            self.demo_conference.stop()
        for window in self.windows:
            release(window)
        self.hub.stop()
        for controller in self.meeting_controllers:
            controller.stop()
        if self.office is not None:
            self.office.stop()
        if self.audit_relay is not None:
            self.audit_relay.stop()
        self.cache.close()
        self.identity.close()


def run_gui(config: AppConfig, options: GuiOptions, argv: list[str]) -> int:
    app = make_application(argv)
    install_translators(app, options.language or config.language)
    session = Session(config, options)
    app.aboutToQuit.connect(session.shutdown)
    # systemd stops a kiosk with SIGTERM; the once-a-second ticker lets Python run the handler.
    signal.signal(signal.SIGTERM, lambda *_: session.quit())
    signal.signal(signal.SIGINT, lambda *_: session.quit())
    session.start()
    return app.exec()
