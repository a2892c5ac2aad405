"""One office service process (and broker) per test module; each test makes its own meeting in it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from feeds.meetings.client import OfficeClient
from tests.support.broker import Broker
from tests.support.office import OfficeProcess

SPEC_FILE = Path(__file__).parents[3] / "docs" / "office-openapi.json"


@pytest.fixture(scope="module")
def spec() -> OpenAPI:
    return OpenAPI.from_dict(json.loads(SPEC_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def module_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    server = Broker(tmp_path_factory.mktemp("broker")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, module_broker: Broker) -> Iterator[OfficeProcess]:
    service = OfficeProcess(tmp_path_factory.mktemp("office"), module_broker.url, extra_people=0).start()
    yield service
    service.stop()


class Tablets:
    """Signed-in clients whose every answer is checked against the committed OpenAPI document."""

    def __init__(self, office: OfficeProcess, spec: OpenAPI) -> None:
        self.office = office
        self.spec = spec
        self.clients: list[OfficeClient] = []
        self.checked = 0

    def _check(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        if "/openapi.json" in response.url or response.headers.get("content-type") == "application/pdf":
            return  # a paper is streamed: reading it here would read it before the test does
        self.spec.validate_response(RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response))
        self.checked += 1

    def watch(self, client: OfficeClient) -> OfficeClient:
        client.http.hooks["response"].append(self._check)
        self.clients.append(client)
        return client

    def __call__(self, name: str, base_url: str = "") -> OfficeClient:
        client = OfficeClient(base_url or self.office.url)
        self.watch(client)
        client.sign_in(name, "mat-khau-hop", f"tablet-{name}")
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def tablets(office: OfficeProcess, spec: OpenAPI) -> Iterator[Tablets]:
    t = Tablets(office, spec)
    yield t
    t.close()


def make_meeting(secretary: OfficeClient, members: dict[str, str], title: str = "Phiên họp thử") -> str:
    """A meeting of today with three agenda items and MEMBERS (name → role), returning its id."""
    now = time.time()
    meeting = secretary.call("POST", "/meetings", {"title": title, "unit": "tinh", "starts": now - 60,
                                                   "ends": now + 3600, "place": "Phòng họp 1"})["id"]
    for title_, presenter in (("Báo cáo kinh tế - xã hội", "Sở Tài chính"), ("Phòng chống thiên tai", "Sở NN&MT"),
                              ("Quan trắc môi trường", "Sở TN&MT")):
        secretary.call("POST", f"/meetings/{meeting}/agenda", {"title": title_, "presenter": presenter,
                                                               "minutes": 20})
    for name, role in members.items():
        secretary.call("PUT", f"/meetings/{meeting}/members/{name}", {"role": role})
    return str(meeting)


MEMBERS = {"chutich": "chair", "pct1": "member", "pct2": "member", "giamdoc": "member", "thuky": "secretary",
           "trucban": "guest"}
