"""Janus's HTTP API (aiohttp): a session with its keep-alive long poll, plugin handles, requests and events.

Requests that answer at once (`create`, `exists`, `listparticipants`…) return the plugin's data; those that
answer `ack` then an event (`join`, `configure`, `start`…) return the event with the same transaction. Every
failure is a JanusError with Janus's code and a reason a person can read; a malformed answer is one too."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

VIDEOROOM = "janus.plugin.videoroom"
# VideoRoom's error codes (janus_videoroom.c) → what to say
REASONS = {426: "no such room", 433: "not allowed in this room (wrong PIN or secret)",
           428: "no such feed", 427: "the room already exists", 432: "the room is full"}


SPOTLIGHT_MARK = " · tiêu điểm #"  # in a room's description: who the chair put in the spotlight


class JanusError(RuntimeError):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus {code}: {reason}")
        self.code = code
        self.reason = reason


def _transaction() -> str:
    return secrets.token_hex(8)


class JanusSession:
    def __init__(self, api: str, timeout_s: float = 10.0) -> None:
        self.api = api.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.http: aiohttp.ClientSession | None = None
        self.id = 0
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._poller: asyncio.Task[None] | None = None
        self.listeners: list[Callable[[dict[str, Any]], None]] = []  # every event, as Janus sent it
        self.alive = False

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        assert self.http is not None
        try:
            async with self.http.post(self.api + path, json=body, timeout=self.timeout) as response:
                if response.status != 200:
                    raise JanusError(response.status, f"the Janus API answered HTTP {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise JanusError(0, f"Janus cannot be reached at {self.api}: {exc}") from exc
        except ValueError as exc:
            raise JanusError(0, f"Janus answered something that is not JSON: {exc}") from exc
        if not isinstance(data, dict) or "janus" not in data:
            raise JanusError(0, "Janus answered an object without its 'janus' field")
        if data["janus"] == "error":
            error = data.get("error") or {}
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "unknown error")))
        return data

    async def create(self) -> int:
        self.http = aiohttp.ClientSession()
        data = await self._post("", {"janus": "create", "transaction": _transaction()})
        self.id = int(data["data"]["id"])
        self.alive = True
        self._poller = asyncio.get_running_loop().create_task(self._poll())
        return self.id

    async def attach(self, plugin: str = VIDEOROOM) -> int:
        data = await self._post(f"/{self.id}", {"janus": "attach", "plugin": plugin, "transaction": _transaction()})
        return int(data["data"]["id"])

    async def detach(self, handle: int) -> None:
        await self._post(f"/{self.id}/{handle}", {"janus": "detach", "transaction": _transaction()})

    async def request(self, handle: int, body: dict[str, Any], jsep: dict[str, Any] | None = None,
                      wait_s: float = 10.0) -> dict[str, Any]:
        """The plugin's answer to BODY: at once (`success`) or the event that follows an `ack`."""
        transaction = _transaction()
        message: dict[str, Any] = {"janus": "message", "body": body, "transaction": transaction}
        if jsep is not None:
            message["jsep"] = jsep
        waiting = asyncio.get_running_loop().create_future()
        self._pending[transaction] = waiting
        try:
            data = await self._post(f"/{self.id}/{handle}", message)
            if data["janus"] == "success":
                return _plugin_data(data)
            if data["janus"] != "ack":
                raise JanusError(0, f"unexpected answer {data['janus']!r}")
            event: dict[str, Any] = await asyncio.wait_for(waiting, wait_s)
            return event
        except TimeoutError:
            raise JanusError(0, f"no answer from Janus to {body.get('request')!r} within {wait_s:g} s") from None
        finally:
            self._pending.pop(transaction, None)

    async def _poll(self) -> None:
        """The long poll: it keeps the session alive and brings the events."""
        assert self.http is not None
        while self.alive:
            try:
                async with self.http.get(f"{self.api}/{self.id}?maxev=10",
                                         timeout=aiohttp.ClientTimeout(total=40)) as response:
                    events = await response.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                if self.alive:
                    log.warning("Janus session %s: long poll failed: %s", self.id, exc)
                    for listener in self.listeners:
                        listener({"janus": "lost", "reason": str(exc)})
                    await asyncio.sleep(1.0)
                continue
            for event in events if isinstance(events, list) else [events]:
                self._dispatch(event)

    def _dispatch(self, event: Any) -> None:
        if not isinstance(event, dict):
            log.warning("Janus sent a malformed event: %r", event)
            return
        waiting = self._pending.get(str(event.get("transaction", "")))
        if waiting is not None and not waiting.done() and event.get("janus") == "event":
            try:
                waiting.set_result(_plugin_data(event) | ({"jsep": event["jsep"]} if "jsep" in event else {}))
            except JanusError as exc:
                waiting.set_exception(exc)
        for listener in self.listeners:
            listener(event)

    async def destroy(self) -> None:
        self.alive = False
        if self._poller is not None:
            self._poller.cancel()
        try:
            if self.http is not None and self.id:
                await self._post(f"/{self.id}", {"janus": "destroy", "transaction": _transaction()})
        except JanusError as exc:
            log.info("Janus session %s: %s", self.id, exc)
        finally:
            if self.http is not None:
                await self.http.close()


def _plugin_data(message: dict[str, Any]) -> dict[str, Any]:
    data = (message.get("plugindata") or {}).get("data")
    if not isinstance(data, dict):
        raise JanusError(0, "Janus answered without plugin data")
    if "error_code" in data or (data.get("videoroom") == "event" and "error" in data):
        code = int(data.get("error_code", 0))
        raise JanusError(code, f"{REASONS.get(code, 'refused')}: {data.get('error', '')}".rstrip(": "))
    return data


class VideoRoom:
    """One handle on the VideoRoom plugin, for one room."""

    def __init__(self, session: JanusSession, room: int, pin: str | None = None, secret: str | None = None) -> None:
        self.session = session
        self.room = room
        self.pin = pin
        self.secret = secret
        self.handle = 0
        self.joined: dict[str, Any] = {}

    async def attach(self) -> None:
        self.handle = await self.session.attach()

    def _with(self, body: dict[str, Any], secret: bool = False) -> dict[str, Any]:
        body = {"room": self.room, **body}
        if self.pin:
            body["pin"] = self.pin
        if secret and self.secret:
            body["secret"] = self.secret
        return body

    async def exists(self) -> bool:
        return bool((await self.session.request(self.handle, {"request": "exists", "room": self.room}))["exists"])

    async def participants(self) -> list[dict[str, Any]]:
        data = await self.session.request(self.handle, self._with({"request": "listparticipants"}))
        return list(data.get("participants", []))

    async def join(self, display: str) -> dict[str, Any]:
        """Join as a publisher (not yet publishing): the answer has our id and the publishers already there."""
        self.joined = await self.session.request(self.handle, self._with({
            "request": "join", "ptype": "publisher", "display": display}))
        return self.joined

    async def leave(self) -> None:
        await self.session.request(self.handle, {"request": "leave"})

    async def kick(self, participant: int) -> None:
        """Remove a participant (the chair: the room's secret)."""
        await self.session.request(self.handle, self._with({"request": "kick", "id": participant}, secret=True))

    async def add_remote_publisher(self, display: str, streams: list[dict[str, Any]], host: str) -> dict[str, Any]:
        """A participant whose media comes as plain RTP (another site's Janus, an encoder): Janus listens on HOST
        and answers the port to send to; the stream of mindex N is told by its SSRC, 1000 + 10·N (the chair)."""
        return await self.session.request(self.handle, self._with({
            "request": "add_remote_publisher", "display": display, "iface": host, "streams": streams}, secret=True))

    async def remove_remote_publisher(self, participant: int) -> None:
        await self.session.request(self.handle, self._with({"request": "remove_remote_publisher",
                                                            "id": participant}, secret=True))

    async def moderate(self, participant: int, mid: str, muted: bool) -> None:
        """Mute (or let speak again) one stream of a participant, for everyone (the chair)."""
        await self.session.request(self.handle, self._with({"request": "moderate", "id": participant, "mid": mid,
                                                            "mute": muted}, secret=True))

    async def description(self) -> str:
        rooms = (await self.session.request(self.handle, {"request": "list"})).get("list", [])
        return next((str(r.get("description", "")) for r in rooms if r.get("room") == self.room), "")

    async def set_spotlight(self, participant: int | None) -> None:
        """The room's description carries the participant in the spotlight (the chair: the room's secret)."""
        base = (await self.description()).split(SPOTLIGHT_MARK)[0]
        text = base + (f"{SPOTLIGHT_MARK}{participant}" if participant is not None else "")
        await self.session.request(self.handle, self._with({"request": "edit", "new_description": text},
                                                           secret=True))

    async def lock(self, locked: bool) -> None:
        """Lock the room (nobody new joins; those in it stay) or open it again (the chair)."""
        body: dict[str, Any] = {"request": "allowed", "action": "enable" if locked else "disable"}
        if locked:
            body["allowed"] = []
        await self.session.request(self.handle, self._with(body, secret=True))
