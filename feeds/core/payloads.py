"""Parse and serialise the JSON payloads documented in docs/feeds.md."""

from __future__ import annotations

import importlib
import json
import math
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Protocol, TypeVar, cast

from feeds.core.domain import kind_module
from feeds.core.records import (
    ALERT_ACTIONS,
    SCHEMA_VERSION,
    AlertAction,
    AlertEvent,
    Measurement,
    Record,
    SceneCommand,
    SeqHeartbeat,
    Severity,
)

MAX_PAYLOAD_BYTES = 256 * 1024
TOPIC_ROOT = "ioc/v1"
LOCAL_TZ = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has no daylight saving


class WireRecord(Record, Protocol):
    """A record type added by a domain module: it names its topic kind and converts itself."""

    kind: ClassVar[str]

    def to_payload(self) -> dict[str, Any]: ...

    @classmethod
    def from_payload(cls, data: dict[str, Any], source: str) -> WireRecord: ...


_KINDS: dict[str, type[WireRecord]] = {}


C = TypeVar("C", bound=type[Any])


def register_kind(cls: C) -> C:
    """Class decorator: messages on ioc/v1/<cls.kind>/… parse into `cls` (which raises PayloadError)."""
    _KINDS[cls.kind] = cls
    return cls


def kind_class(kind: str) -> type[WireRecord] | None:
    if kind not in _KINDS:
        # Where a domain defines the kind, so a feed that carries it parses it even when nothing else in
        # the process has imported that module yet.
        module = kind_module(kind)
        if module is not None:
            importlib.import_module(module)
    return _KINDS.get(kind)


class PayloadError(ValueError):
    """A payload that does not follow docs/feeds.md; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_timestamp(raw: Any) -> float:
    """Epoch seconds from a number or an ISO 8601 string (naive means Vietnam time)."""
    if isinstance(raw, bool):
        raise PayloadError("ts must be a number or an ISO 8601 string")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw) or raw <= 0:
            raise PayloadError(f"ts {raw!r} is not a valid epoch time")
        return float(raw)
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            raise PayloadError(f"ts {raw[:40]!r} is not ISO 8601") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=LOCAL_TZ)
        return parsed.timestamp()
    raise PayloadError("ts must be a number or an ISO 8601 string")


def decode_json(payload: bytes) -> dict[str, Any]:
    """Bytes to a JSON object, refusing oversize, non-UTF-8, non-JSON and non-object bodies."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise PayloadError(f"payload of {len(payload)} bytes exceeds the {MAX_PAYLOAD_BYTES}-byte limit")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"payload is not UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise PayloadError("payload must be a JSON object")
    version = data.get("v")
    if version != SCHEMA_VERSION:
        raise PayloadError(f"unsupported schema version v={version!r} (expected {SCHEMA_VERSION})")
    return data


def _refuse_constant(name: str) -> Any:
    raise PayloadError(f"{name} is not a valid number")


def _require(data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in data:
        raise PayloadError(f"missing field {name!r}")
    value = data[name]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise PayloadError(f"field {name!r} must be {expected}, got {type(value).__name__}")
    return value


def _optional(data: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any) -> Any:
    return _require(data, name, kind) if data.get(name) is not None else default


def require(data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    """A field of the expected JSON type, or PayloadError naming it (for domain record types)."""
    return _require(data, name, kind)


def optional(data: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any) -> Any:
    return _optional(data, name, kind, default)


def iso_time(ts: float) -> str:
    """Epoch seconds as ISO 8601 in Vietnam time, to the millisecond."""
    return _iso(ts)


def parse_measurement(data: dict[str, Any], source: str) -> Measurement:
    value = _require(data, "value", (int, float))
    if not math.isfinite(value):
        raise PayloadError("field 'value' is not a finite number")
    target = _optional(data, "target", (int, float), None)
    return Measurement(
        key=_require(data, "key", str),
        value=float(value),
        ts=parse_timestamp(data.get("ts")),
        source=source,
        unit=_optional(data, "unit", str, ""),
        label=_optional(data, "label", str, ""),
        target=None if target is None else float(target),
    )


def _text(data: dict[str, Any], name: str, limit: int, required: bool = False) -> str:
    value: str = _require(data, name, str) if required else _optional(data, name, str, "")
    if required and not value.strip():
        raise PayloadError(f"field {name!r} must not be empty")
    if len(value) > limit:
        raise PayloadError(f"field {name!r} is longer than {limit} characters")
    return value


def _location(data: dict[str, Any]) -> tuple[float, float] | None:
    raw = _optional(data, "location", dict, None)
    if raw is None:
        return None
    lat, lon = _require(raw, "lat", (int, float)), _require(raw, "lon", (int, float))
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise PayloadError(f"location ({lat!r}, {lon!r}) is outside the globe")
    return float(lat), float(lon)


def parse_alert(data: dict[str, Any], source: str) -> AlertEvent:
    severity = _require(data, "severity", str)
    try:
        level = Severity(severity)
    except ValueError:
        raise PayloadError(f"unknown severity {severity!r}") from None
    seq = _optional(data, "seq", int, None)
    clear = _optional(data, "clear", bool, False)
    return AlertEvent(
        id=_text(data, "id", 300, required=True),
        key=_text(data, "key", 300, required=True),
        severity=level,
        title=_text(data, "title", 500, required=not clear),
        ts=parse_timestamp(data.get("ts")),
        source=source,
        seq=seq,
        detail=_text(data, "detail", 4000),
        extra=_optional(data, "extra", dict, {}),
        publisher=_optional(data, "publisher", str, ""),
        title_en=_text(data, "title_en", 500),
        detail_en=_text(data, "detail_en", 4000),
        entity=_text(data, "entity", 300),
        type=_text(data, "type", 100),
        domain=_text(data, "domain", 100),
        location=_location(data),
        link=_text(data, "link", 300),
        rule=_text(data, "rule", 100),
        clear=clear,
    )


def parse_alert_action(data: dict[str, Any], source: str) -> AlertAction:
    action = _require(data, "action", str)
    if action not in ALERT_ACTIONS:
        raise PayloadError(f"unknown alert action {action!r}")
    return AlertAction(id=_text(data, "id", 300, required=True), alert_id=_text(data, "alert_id", 300, required=True),
                       action=action, by=_text(data, "by", 200, required=True), ts=parse_timestamp(data.get("ts")),
                       source=source, text=_text(data, "text", 4000), data=_optional(data, "data", dict, {}))


def parse_scene(data: dict[str, Any], target: str, source: str) -> SceneCommand:
    return SceneCommand(
        target=target,
        scene=_require(data, "scene", str),
        layout=_require(data, "layout", dict),
        ts=parse_timestamp(data.get("ts")),
        source=source,
        by=_optional(data, "by", str, ""),
    )


def parse_heartbeat(data: dict[str, Any]) -> SeqHeartbeat:
    last_seq = _require(data, "last_seq", int)
    if last_seq < 0:
        raise PayloadError("field 'last_seq' must not be negative")
    return SeqHeartbeat(publisher=_require(data, "publisher", str), last_seq=last_seq,
                        ts=parse_timestamp(data.get("ts")))


def parse_message(topic: str, payload: bytes, source: str) -> Record | SeqHeartbeat:
    """Turn one MQTT message into a record, or raise PayloadError (whatever is wrong with it)."""
    try:
        return _parse_message(topic, payload, source)
    except PayloadError:
        raise
    except (RecursionError, ValueError, OverflowError, TypeError) as exc:
        # Too-deep JSON, numbers with thousands of digits, integers too large for a float…
        raise PayloadError(f"unusable payload: {type(exc).__name__}: {str(exc)[:120]}") from None


def _parse_message(topic: str, payload: bytes, source: str) -> Record | SeqHeartbeat:
    parts = topic.split("/")
    if len(parts) < 4 or "/".join(parts[:2]) != TOPIC_ROOT:
        raise PayloadError(f"topic {topic!r} is outside {TOPIC_ROOT}/<kind>/...")
    data = decode_json(payload)
    kind = parts[2]
    if kind == "indicator":
        return parse_measurement(data, source)
    if kind == "alert":
        return parse_alert(data, source)
    if kind == "alert_action":
        return parse_alert_action(data, source)
    if kind == "scene":
        return parse_scene(data, target="/".join(parts[3:]), source=source)
    if kind == "status":
        return parse_heartbeat(data)
    cls = kind_class(kind)
    if cls is not None:
        return cls.from_payload(data, source)
    raise PayloadError(f"unknown message kind {kind!r} in topic {topic!r}")


def parse_record_json(data: dict[str, Any], source: str) -> Record:
    """A record from a decoded object that names its kind (REST bodies and drop-folder files)."""
    kind = data.get("kind")
    if kind == "indicator":
        return parse_measurement(data, source)
    if kind == "alert":
        return parse_alert(data, source)
    if kind == "alert_action":
        return parse_alert_action(data, source)
    cls = kind_class(kind) if isinstance(kind, str) else None
    if cls is not None:
        return cls.from_payload(data, source)
    raise PayloadError(f"unknown or missing kind {kind!r}")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, LOCAL_TZ).isoformat(timespec="milliseconds")


def topic_for(record: Record) -> str:
    """The MQTT topic a record is published on."""
    if isinstance(record, Measurement):
        return f"{TOPIC_ROOT}/indicator/{record.key}"
    if isinstance(record, AlertEvent):
        return f"{TOPIC_ROOT}/alert/{record.key}"
    if isinstance(record, SceneCommand):
        return f"{TOPIC_ROOT}/scene/{record.target}"
    if isinstance(record, AlertAction):
        return f"{TOPIC_ROOT}/alert_action/{_topic_level(record.alert_id)}"
    return f"{TOPIC_ROOT}/{_wire(record).kind}/{record.key}"


def to_payload(record: Record) -> dict[str, Any]:
    """The JSON object for a record (the inverse of parse_message)."""
    if isinstance(record, Measurement):
        data: dict[str, Any] = {"v": SCHEMA_VERSION, "kind": "indicator", "key": record.key,
                                "value": record.value, "ts": _iso(record.ts)}
        if record.unit:
            data["unit"] = record.unit
        if record.label:
            data["label"] = record.label
        if record.target is not None:
            data["target"] = record.target
        return data
    if isinstance(record, AlertEvent):
        data = {"v": SCHEMA_VERSION, "kind": "alert", "id": record.id, "key": record.key,
                "severity": record.severity.value, "title": record.title, "ts": _iso(record.ts)}
        if record.seq is not None:
            data["seq"] = record.seq
        if record.detail:
            data["detail"] = record.detail
        if record.extra:
            data["extra"] = record.extra
        if record.publisher:
            data["publisher"] = record.publisher
        for name in ("title_en", "detail_en", "entity", "type", "domain", "link", "rule"):
            if getattr(record, name):
                data[name] = getattr(record, name)
        if record.location is not None:
            data["location"] = {"lat": record.location[0], "lon": record.location[1]}
        if record.clear:
            data["clear"] = True
        return data
    if isinstance(record, AlertAction):
        return {"v": SCHEMA_VERSION, "kind": "alert_action", "id": record.id, "alert_id": record.alert_id,
                "action": record.action, "by": record.by, "ts": _iso(record.ts), "text": record.text,
                "data": record.data}
    if isinstance(record, SceneCommand):
        return {"v": SCHEMA_VERSION, "kind": "scene", "scene": record.scene, "layout": record.layout,
                "by": record.by, "ts": _iso(record.ts)}
    wire = _wire(record)
    return {"v": SCHEMA_VERSION, "kind": wire.kind, **wire.to_payload()}


def _wire(record: Record) -> WireRecord:
    """A domain record (one whose class was registered with register_kind)."""
    if type(record) not in _KINDS.values():
        raise TypeError(f"{type(record).__name__} is not a registered wire kind")
    return cast(WireRecord, record)


def _topic_level(text: str) -> str:
    """Text usable inside one topic level of the alert-action tree (no wildcards, never empty)."""
    return "".join("_" if c in "+#\0" else c for c in text).replace("/", "_") or "_"


def heartbeat_topic(publisher: str) -> str:
    return f"{TOPIC_ROOT}/status/{publisher}"


def resend_topic(publisher: str) -> str:
    return f"{TOPIC_ROOT}/cmd/resend/{publisher}"


def encode_heartbeat(beat: SeqHeartbeat) -> bytes:
    return json.dumps({"v": SCHEMA_VERSION, "publisher": beat.publisher, "last_seq": beat.last_seq,
                       "ts": _iso(beat.ts)}).encode("utf-8")


def encode_resend(publisher: str, seqs: list[int], by: str) -> bytes:
    return json.dumps({"v": SCHEMA_VERSION, "publisher": publisher, "seqs": seqs, "by": by}).encode("utf-8")


def parse_resend(payload: bytes) -> list[int]:
    """The sequence numbers a resend request asks for."""
    data = decode_json(payload)
    seqs: list[int] = _require(data, "seqs", list)
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in seqs):
        raise PayloadError("field 'seqs' must be a list of positive integers")
    return seqs


def encode(record: Record) -> bytes:
    return json.dumps(to_payload(record), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
