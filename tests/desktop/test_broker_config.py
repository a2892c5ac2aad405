"""`controlroom broker-config` against a real Mosquitto: the broker itself enforces every account's role.

The command writes mosquitto.conf, passwd and acl for a site; a Mosquitto started on them (TLS with a CA made
here) is then probed with paho clients under MQTT v5, where a refused QoS 1 publish is answered with PUBACK
reason 135 "Not authorized" and a message an account may not read is never delivered to it. "Never
delivered" is checked with a marker: a message the same subscriber may read, sent after the refused one
was acknowledged — once the marker is in, the refused message would have been too.
"""

from __future__ import annotations

import getpass
import io
import itertools
import stat
import subprocess
import threading
import time
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.reasoncodes import ReasonCode

from desktop.commands import cli
from feeds.core.payloads import encode, resend_topic
from feeds.core.records import LinkState, SceneCommand
from feeds.core.secrets import env_name
from feeds.sources.mqtt import MqttSource
from tests.support.broker import free_port, wait_port
from tests.support.tls import make_tls
from tests.support.waiting import wait_until

ACCOUNTS = {"console-1": "console", "wall-1": "wall", "wall-2": "wall", "leader-1": "leader",
            "gw-1": "publisher", "audit": "collector"}
PASSWORDS = {name: f"mật khẩu {name}: $7 \"x\"" for name in ACCOUNTS}
NOT_AUTHORIZED, BAD_CREDENTIALS = 135, 134
ACCEPTED = (0, 16)  # PUBACK "Success", "No matching subscribers"
_ids = itertools.count()


@dataclass
class Site:
    port: int
    ca: Path
    out: Path
    output: str  # what the command printed


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The command run once on a site configuration, and a Mosquitto started on what it wrote."""
    folder = tmp_path_factory.mktemp("broker-site")
    make_tls(folder / "pki")
    port = free_port()
    accounts = "".join(f'"{name}" = "{role}"\n' for name, role in ACCOUNTS.items())
    config = folder / "site.toml"
    config.write_text(f'[identity.broker]\nport = {port}\nbind = "127.0.0.1"\n'
                      'certfile = "pki/server.pem"\nkeyfile = "pki/server.key"\ncafile = "pki/ca.pem"\n'
                      f"[identity.broker.accounts]\n{accounts}", encoding="utf-8")
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        # The secrets, as the deployment gives them (also what MqttSource's password_env names below).
        for name, password in PASSWORDS.items():
            patch.setenv(env_name(f"mqtt/{name}"), password)
        # cli.main would add handlers to the root logger and a log file in the home folder, for good.
        patch.setattr(cli, "setup_logging", lambda verbose: None)
        printed = io.StringIO()
        with redirect_stdout(printed):
            assert cli.main(["broker-config", "--config", str(config), "--out", str(out)]) == 0
        # Mosquitto started as root would switch to its own user; `user` keeps ours (the files are in a
        # private temporary folder). The generated file is included as Debian's conf.d would include it.
        wrapper = folder / "broker.conf"
        wrapper.write_text(f"user {getpass.getuser()}\nlog_dest none\npersistence false\ninclude_dir {out}\n")
        log = (folder / "mosquitto.out").open("wb")
        proc = subprocess.Popen(["/usr/sbin/mosquitto", "-c", str(wrapper)], stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_port(port)
            except AssertionError:
                raise AssertionError(f"mosquitto did not start: {(folder / 'mosquitto.out').read_text()}") from None
            yield Site(port, folder / "pki" / "ca.pem", out, printed.getvalue())
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


class Peer:
    """One paho client (MQTT v5 over TLS): what the broker answered and every message it received."""

    def __init__(self, site: Site, user: str | None, password: str | None = None) -> None:
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"t-acl-{user}-{next(_ids)}",
                                  protocol=mqtt.MQTTv5)
        if user is not None:
            self.client.username_pw_set(user, PASSWORDS.get(user) if password is None else password)
        self.client.tls_set(ca_certs=str(site.ca))
        self.connack: ReasonCode | None = None
        self.pubacks: dict[int, ReasonCode] = {}
        self.subacks: dict[int, list[ReasonCode]] = {}
        self.messages: list[tuple[str, bytes]] = []
        self._lock = threading.Lock()
        self.client.on_connect = self._on_connect
        self.client.on_publish = lambda client, userdata, mid, reason, props: self.pubacks.__setitem__(mid, reason)
        self.client.on_subscribe = lambda client, userdata, mid, reasons, props: self.subacks.__setitem__(mid, reasons)
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", site.port)
        self.client.loop_start()
        wait_until(lambda: self.connack is not None, 10, f"the broker's CONNACK to {user}")

    def _on_connect(self, client, userdata, flags, reason, props) -> None:
        if self.connack is None:
            self.connack = reason

    def _on_message(self, client, userdata, msg) -> None:
        with self._lock:
            self.messages.append((msg.topic, bytes(msg.payload)))

    @property
    def accepted(self) -> bool:
        return self.connack is not None and not self.connack.is_failure

    def subscribe(self, *topics: str) -> None:
        _, mid = self.client.subscribe([(topic, 1) for topic in topics])
        wait_until(lambda: mid in self.subacks, 5, f"the SUBACK of {topics}")
        assert not any(reason.is_failure for reason in self.subacks[mid])  # filtering happens on delivery

    def publish(self, topic: str, payload: bytes | str, retain: bool = False) -> int:
        """Publish with QoS 1 and return the PUBACK reason code (0 or 16 accepted, 135 not authorized)."""
        info = self.client.publish(topic, payload, qos=1, retain=retain)
        wait_until(lambda: info.mid in self.pubacks, 5, f"the PUBACK for {topic}")
        return self.pubacks[info.mid].value

    def got(self, prefix: str = "") -> list[tuple[str, bytes]]:
        with self._lock:
            return [m for m in self.messages if m[0].startswith(prefix)]

    def wait_for(self, topic: str, payload: bytes | str) -> None:
        payload = payload.encode() if isinstance(payload, str) else payload
        wait_until(lambda: (topic, payload) in self.got(), 5, lambda: f"{payload!r} on {topic}; got {self.got()}")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def peer(site):
    peers: list[Peer] = []

    def connect(user: str | None, password: str | None = None, subscribe: tuple[str, ...] = ()) -> Peer:
        client = Peer(site, user, password)
        peers.append(client)
        if subscribe:
            assert client.accepted, f"{user} was refused: {client.connack}"
            client.subscribe(*subscribe)
        return client

    yield connect
    for client in peers:
        client.close()


def test_the_command_writes_the_configuration_the_password_file_and_the_acl(site):
    assert site.output.splitlines()[0].startswith(f"wrote {site.out / 'passwd'}: 6 account(s) (console-1, wall-1,")
    assert f"wrote {site.out / 'acl'}: console-1=console, wall-1=wall" in site.output
    assert f"wrote {site.out / 'mosquitto.conf'}: listener 127.0.0.1:{site.port} with TLS" in site.output
    assert stat.S_IMODE((site.out / "passwd").stat().st_mode) == 0o600
    passwd = (site.out / "passwd").read_text()
    assert [line.split(":")[0] for line in passwd.splitlines()] == list(ACCOUNTS)
    assert not any(password in passwd for password in PASSWORDS.values())
    assert f"listener {site.port} 127.0.0.1" in (site.out / "mosquitto.conf").read_text().splitlines()
    assert sorted(p.name for p in site.out.iterdir()) == ["acl", "mosquitto.conf", "passwd"]


def test_anonymous_clients_and_wrong_passwords_are_refused(peer):
    assert peer("wall-1").accepted
    for refused in (peer(None), peer("wall-1", PASSWORDS["wall-2"]), peer("wall-1", "sai"),
                    peer("nobody", "whatever")):
        assert refused.connack.is_failure
        assert refused.connack.value in (NOT_AUTHORIZED, BAD_CREDENTIALS)  # Mosquitto 2.0 answers 135


def test_walls_and_leaders_cannot_push_scenes_nor_act_on_alerts(peer):
    wall1 = peer("wall-1", subscribe=("ioc/v1/scene/#",))
    wall2 = peer("wall-2", subscribe=("ioc/v1/scene/#",))
    leader = peer("leader-1")
    console = peer("console-1", subscribe=("ioc/v1/#",))
    topic = "ioc/v1/scene/wall-1/7"
    assert wall2.publish(topic, "from wall-2", retain=True) == NOT_AUTHORIZED
    assert wall1.publish(topic, "from wall-1 itself", retain=True) == NOT_AUTHORIZED
    assert leader.publish(topic, "from the leader", retain=True) == NOT_AUTHORIZED
    assert wall2.publish("ioc/v1/alert_action/a-1", "ack") == NOT_AUTHORIZED
    assert leader.publish("ioc/v1/alert_action/a-1", "ack") == NOT_AUTHORIZED
    assert console.publish(topic, "from the console", retain=True) in ACCEPTED  # the marker
    wall1.wait_for(topic, "from the console")
    console.wait_for(topic, "from the console")
    assert console.publish("ioc/v1/scene/wall-2/7", "marker for wall-2") in ACCEPTED
    wall2.wait_for("ioc/v1/scene/wall-2/7", "marker for wall-2")
    assert wall1.got(topic) == [(topic, b"from the console")]
    assert console.got(topic) == [(topic, b"from the console")]
    assert not console.got("ioc/v1/alert_action/")
    # The retained scene a wall finds on connecting is the console's: no refused one was kept.
    again = peer("wall-1", subscribe=(topic,))
    again.wait_for(topic, "from the console")
    assert again.got() == [(topic, b"from the console")]
    assert not wall2.got("ioc/v1/scene/wall-1")


def test_a_console_scene_reaches_its_wall_and_no_other(peer):
    subscribers = {name: peer(name, subscribe=("ioc/v1/scene/#", "ioc/v1/#"))
                   for name in ("wall-1", "wall-2", "leader-1")}
    collector = peer("audit", subscribe=("ioc/v1/#",))
    gateway = peer("gw-1", subscribe=("ioc/v1/#",))
    console = peer("console-1")
    for name in ("wall-2", "leader-1", "wall-1"):
        assert console.publish(f"ioc/v1/scene/{name}/3", f"scene for {name}") in ACCEPTED
    for name, subscriber in subscribers.items():
        subscriber.wait_for(f"ioc/v1/scene/{name}/3", f"scene for {name}")
        # Not a single scene of another terminal, this test's or a retained one of an earlier test.
        assert {topic.split("/")[3] for topic, _ in subscriber.got("ioc/v1/scene/")} == {name}
    assert console.publish("ioc/v1/audit/console-1", "marker") in ACCEPTED
    assert console.publish(resend_topic("gw-1"), "marker") in ACCEPTED
    collector.wait_for("ioc/v1/audit/console-1", "marker")
    gateway.wait_for(resend_topic("gw-1"), "marker")
    assert not collector.got("ioc/v1/scene/") and not gateway.got("ioc/v1/scene/")


def test_a_wall_writes_its_own_status_and_audit_and_nobody_elses(peer):
    console = peer("console-1", subscribe=("ioc/v1/status/#", "ioc/v1/audit/#"))
    collector = peer("audit", subscribe=("ioc/v1/#",))
    other = peer("wall-2", subscribe=("ioc/v1/audit/#", "ioc/v1/status/#"))
    wall = peer("wall-1")
    assert wall.publish("ioc/v1/status/wall-2", "forged status") == NOT_AUTHORIZED
    assert wall.publish("ioc/v1/audit/wall-2", "forged audit") == NOT_AUTHORIZED
    assert wall.publish("ioc/v1/audit/wall-1", "entry 1") in ACCEPTED
    assert wall.publish("ioc/v1/status/wall-1", "online") in ACCEPTED
    assert wall.publish("ioc/v1/status/wall-1/screen/0", "screen 0 ok") in ACCEPTED
    console.wait_for("ioc/v1/status/wall-1/screen/0", "screen 0 ok")
    assert console.got("ioc/v1/status/") == [("ioc/v1/status/wall-1", b"online"),
                                             ("ioc/v1/status/wall-1/screen/0", b"screen 0 ok")]
    collector.wait_for("ioc/v1/audit/wall-1", "entry 1")
    assert collector.got() == [("ioc/v1/audit/wall-1", b"entry 1")]  # audit only: no status, no forgery
    other.wait_for("ioc/v1/status/wall-1/screen/0", "screen 0 ok")  # walls see statuses (heartbeats)…
    assert not other.got("ioc/v1/audit/")  # …but not the audit trail


def test_the_collector_receives_every_terminals_audit_and_writes_only_its_status(peer):
    collector = peer("audit", subscribe=("ioc/v1/audit/#",))
    entries = {"console-1": "console entry", "wall-2": "wall entry", "leader-1": "leader entry"}
    for name, entry in entries.items():
        assert peer(name).publish(f"ioc/v1/audit/{name}", entry) in ACCEPTED
    gateway = peer("gw-1")
    assert gateway.publish("ioc/v1/audit/gw-1", "not a terminal") == NOT_AUTHORIZED
    assert collector.publish("ioc/v1/audit/audit", "collector entry") == NOT_AUTHORIZED
    assert collector.publish("ioc/v1/scene/wall-1/0", "scene") == NOT_AUTHORIZED
    assert collector.publish("ioc/v1/status/audit", "collector online") in ACCEPTED
    assert peer("wall-1").publish("ioc/v1/audit/wall-1", "marker") in ACCEPTED
    collector.wait_for("ioc/v1/audit/wall-1", "marker")
    assert sorted(collector.got()) == sorted([*((f"ioc/v1/audit/{n}", e.encode()) for n, e in entries.items()),
                                              ("ioc/v1/audit/wall-1", b"marker")])


def test_a_publisher_writes_feeds_and_reads_only_its_resend_requests(peer):
    wall = peer("wall-1", subscribe=("ioc/v1/#",))
    gateway = peer("gw-1", subscribe=("ioc/v1/#",))
    console = peer("console-1")
    for topic in ("ioc/v1/scene/wall-1/0", "ioc/v1/alert_action/a-9", "ioc/v1/status/wall-1",
                  "ioc/v1/audit/wall-1", "ioc/v1/cmd/resend/gw-2", "ioc/v1/unknown_kind/x"):
        assert gateway.publish(topic, "gateway") == NOT_AUTHORIZED, topic
    assert gateway.publish("ioc/v1/status/gw-1", "heartbeat") in ACCEPTED
    assert gateway.publish("ioc/v1/alert/flood/a-9", "alert") in ACCEPTED
    assert gateway.publish("ioc/v1/indicator/econ/grdp", "reading") in ACCEPTED
    wall.wait_for("ioc/v1/indicator/econ/grdp", "reading")
    assert wall.got("ioc/v1/alert/") == [("ioc/v1/alert/flood/a-9", b"alert")]
    assert not [m for m in wall.got() if m[1] == b"gateway"]
    # Resend requests: a console may ask, a wall may not; the publisher hears only those addressed to it.
    assert wall.publish(resend_topic("gw-1"), "from a wall") == NOT_AUTHORIZED
    assert console.publish(resend_topic("gw-2"), "to another publisher") in ACCEPTED
    assert console.publish(resend_topic("gw-1"), "to gw-1") in ACCEPTED
    gateway.wait_for(resend_topic("gw-1"), "to gw-1")
    assert gateway.got() == [(resend_topic("gw-1"), b"to gw-1")]  # no feed, status or scene read back


class RecordingSink:
    def __init__(self) -> None:
        self.records: list = []
        self.rejected: list[str] = []

    def submit(self, record, ack=None) -> None:
        self.records.append(record)
        if ack is not None:
            ack()

    def reject(self, feed, origin, reason, sample=b"") -> None:
        self.rejected.append(origin)

    def status(self, status) -> None:
        pass

    def file_seen(self, digest) -> bool:
        return False

    def mark_file(self, digest, name, records) -> None:
        pass

    def last_seq(self, publisher):
        return None


def scene(target: str, name: str, by: str) -> bytes:
    return encode(SceneCommand(target=target, scene=name, layout={"preset": "2x2"}, ts=time.time(),
                               source="operator", by=by))


def test_the_programs_own_subscriber_as_a_wall_gets_the_consoles_scenes_only(site, peer):
    sink = RecordingSink()
    source = MqttSource("scenes", f"mqtts://wall-1@127.0.0.1:{site.port}/ioc/v1/scene/wall-1/#",
                        {"client_id": f"t-acl-source-{next(_ids)}", "ca_certs": str(site.ca),
                         "password_env": env_name("mqtt/wall-1"), "topics": ["ioc/v1/scene/#"]}, sink)
    source.start()
    try:
        wait_until(lambda: source.state.state == LinkState.CONNECTED, 10, lambda: f"connected, is {source.state}")
        impostor = peer("wall-2")
        assert impostor.publish("ioc/v1/scene/wall-1/5", scene("wall-1/5", "evil", "wall-2"), retain=True) \
            == NOT_AUTHORIZED
        assert impostor.publish("ioc/v1/scene/wall-2/5", scene("wall-2/5", "evil", "wall-2"), retain=True) \
            == NOT_AUTHORIZED
        console = peer("console-1")
        assert console.publish("ioc/v1/scene/wall-2/5", scene("wall-2/5", "for wall-2", "console-1"),
                               retain=True) in ACCEPTED
        assert console.publish("ioc/v1/scene/wall-1/5", scene("wall-1/5", "good", "console-1"),
                               retain=True) in ACCEPTED

        def scenes() -> list[SceneCommand]:
            return [r for r in sink.records if isinstance(r, SceneCommand)]

        wait_until(lambda: any(s.scene == "good" for s in scenes()), 10, lambda: f"the console's scene: {scenes()}")
        good = next(s for s in scenes() if s.scene == "good")
        assert (good.target, good.by) == ("wall-1/5", "console-1")
        assert all(s.target.startswith("wall-1/") for s in scenes())  # despite the extra ioc/v1/scene/# filter
        assert not [s for s in scenes() if s.scene == "evil" or s.by == "wall-2"]
    finally:
        source.stop()


def test_mistakes_are_reported_with_exit_status_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "setup_logging", lambda verbose: None)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    config = tmp_path / "site.toml"
    out = tmp_path / "out"

    def run(text: str) -> str:
        config.write_text(text, encoding="utf-8")
        assert cli.main(["broker-config", "--config", str(config), "--out", str(out)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        return captured.err

    assert "identity.broker: missing" in run("[roles.wall]\n")
    assert "use `controlroom secrets set mqtt/wall-9`" in run(
        '[identity.broker.accounts]\nwall-9 = { role = "wall", password = "x" }\n')
    assert "unknown role 'janitor'" in run('[identity.broker.accounts]\nwall-9 = "janitor"\n')
    missing = run(f'[identity.broker.accounts]\n"t-missing-{time.monotonic_ns()}" = "wall"\n')
    assert "is not set: run `controlroom secrets set mqtt/t-missing-" in missing
    assert not out.exists() or not any(out.iterdir())  # nothing half-written
    assert "cannot read" in run("[identity.broker\n")
