"""A terminal's connection to the office service (requests over HTTPS, a bearer token from the sign-in)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

log = logging.getLogger(__name__)

API = "/api/v1"


class OfficeUnavailable(ConnectionError):
    """The service cannot be reached (network, TLS, it is restarting): try again later."""


@dataclass
class OfficeRefused(Exception):
    """The service answered and refused: the status, a code and the reason in both languages."""

    status: int
    code: str
    message_en: str
    message_vi: str
    body: Any = None

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message_en}"

    def message(self, language: str) -> str:
        return self.message_vi if language == "vi" else self.message_en


@dataclass(frozen=True)
class SignedInAs:
    name: str
    display_name: str
    role: str
    unit: str


class OfficeClient:
    def __init__(self, base_url: str, ca_certs: Path | None = None, timeout_s: float = 10.0) -> None:
        self.base = base_url.rstrip("/") + API
        self.http = requests.Session()
        # given with each request: a Session's own `verify` loses to REQUESTS_CA_BUNDLE in the environment
        self.verify: str | bool = str(ca_certs) if ca_certs else True
        self.timeout_s = timeout_s
        self.token = ""
        self.me: SignedInAs | None = None

    def close(self) -> None:
        self.http.close()

    def sign_in(self, name: str, password: str, terminal: str) -> SignedInAs:
        body = self.call("POST", "/sessions", {"name": name, "password": password, "terminal": terminal})
        self.token = str(body["token"])
        p = body["principal"]
        self.me = SignedInAs(p["name"], p["display_name"], p["role"], p["unit"])
        return self.me

    def sign_out(self) -> None:
        if self.token:
            try:
                self.call("DELETE", "/sessions/current")
            finally:
                self.token = ""
                self.me = None

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def call(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        """The JSON answer, OfficeRefused when the service says no, OfficeUnavailable when it cannot be asked."""
        try:
            response = self.http.request(method, self.base + path, json=body, params=params,
                                         headers=self._headers(), timeout=self.timeout_s, verify=self.verify)
        except requests.RequestException as exc:
            raise OfficeUnavailable(f"the office service cannot be reached: {exc}") from exc
        return self._answer(response)

    @staticmethod
    def _answer(response: requests.Response) -> Any:
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        ours = isinstance(body, dict) and ("error" in body or "reason" in body)
        if (response.status_code >= 500 and not ours) or (body is None and response.ok):
            raise OfficeUnavailable(f"the office service answered {response.status_code} without a usable body")
        if not response.ok:
            data = body if isinstance(body, dict) else {}
            raise OfficeRefused(response.status_code, str(data.get("error") or data.get("reason") or "refused"),
                                str(data.get("message") or data.get("message_en") or response.reason),
                                str(data.get("message_vi") or data.get("message") or response.reason), body)
        return body

    def upload_paper(self, meeting: str, data: bytes, agenda_item: int, title: str, filename: str = "paper.pdf",
                     confidential: bool = False, readers: str = "*", annotators: str = "*",
                     downloaders: str = "*") -> Any:
        params: dict[str, str | int] = {"agenda_item": agenda_item, "title": title, "filename": filename,
                                        "confidential": str(confidential).lower(), "readers": readers,
                                        "annotators": annotators, "downloaders": downloaders}
        try:
            response = self.http.post(f"{self.base}/meetings/{meeting}/papers", data=data, timeout=self.timeout_s * 6,
                                      params=params,
                                      headers=self._headers({"Content-Type": "application/pdf"}), verify=self.verify)
        except requests.RequestException as exc:
            raise OfficeUnavailable(f"the office service cannot be reached: {exc}") from exc
        return self._answer(response)

    def stream(self, path: str, start: int = 0, chunk: int = 1 << 20) -> Iterator[bytes]:
        """The bytes of PATH from offset START (an HTTP Range request when START > 0)."""
        headers = self._headers({"Range": f"bytes={start}-"} if start else None)
        try:
            response = self.http.get(self.base + path, headers=headers, stream=True, timeout=self.timeout_s,
                                     verify=self.verify)
        except requests.RequestException as exc:
            raise OfficeUnavailable(f"the office service cannot be reached: {exc}") from exc
        with response:
            if response.status_code not in (200, 206):
                self._answer(response)
                raise OfficeUnavailable(f"unexpected answer {response.status_code}")
            if start and response.status_code != 206:
                raise OfficeUnavailable("the service ignored the range: the download starts again")
            try:
                yield from response.iter_content(chunk)
            except requests.RequestException as exc:
                raise OfficeUnavailable(f"the download was cut: {exc}") from exc
