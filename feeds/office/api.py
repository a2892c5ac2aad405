"""The office service's REST API (FastAPI): typed requests and answers, so /openapi.json describes it whole.

Every error is `{"error": code, "message": English, "message_vi": Vietnamese}` with its HTTP status, including
a malformed or oversized request; a bearer token from POST /api/v1/sessions authenticates everything else."""


import datetime
import json
import logging
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from feeds.identity.roles import Principal
from feeds.meetings.annotations import MAX_DOCUMENT, AnnotationError, parse_marks
from feeds.meetings.opinions import Answer, OpinionForm
from feeds.meetings.paper_files import PaperRejected
from feeds.meetings.records import MeetingState, MemberRole, PollMethod, Presence, to_json
from feeds.meetings.store import PaperRow
from feeds.office.errors import OfficeError, invalid
from feeds.office.service import OfficeService

log = logging.getLogger(__name__)

API = "/api/v1"
VERSION = "1.0"
Name = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(max_length=500)]


class ErrorBody(BaseModel):
    error: str
    message: str
    message_vi: str


class SignIn(BaseModel):
    name: Name
    password: Annotated[str, Field(min_length=1, max_length=256)]
    terminal: Annotated[str, Field(max_length=64)] = ""


class PrincipalBody(BaseModel):
    name: str
    display_name: str
    role: str
    unit: str


class SessionBody(BaseModel):
    token: str
    expires: float
    principal: PrincipalBody


class NewMeeting(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    unit: Annotated[str, Field(max_length=64)] = ""
    starts: Annotated[float, Field(ge=0, le=4e9, allow_inf_nan=False)]
    ends: Annotated[float, Field(ge=0, le=4e9, allow_inf_nan=False)]
    place: Text = ""


class AgendaBody(BaseModel):
    meeting: str
    position: int
    title: str
    presenter: str
    minutes: int
    papers: list[str]


class MemberBody(BaseModel):
    meeting: str
    name: str
    display_name: str
    role: MemberRole
    presence: Presence
    absence_reason: str


class MeetingBody(BaseModel):
    id: str
    title: str
    unit: str
    starts: float
    ends: float
    place: str
    state: MeetingState
    current_item: int
    agenda: list[AgendaBody]
    members: list[MemberBody]


class NewAgendaItem(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    presenter: Text = ""
    minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 0


class MemberChange(BaseModel):
    display_name: Text = ""
    role: MemberRole


class CheckIn(BaseModel):
    presence: Presence
    reason: Text = ""


class StateChange(BaseModel):
    state: Literal["open", "closed"]


class CurrentItem(BaseModel):
    position: Annotated[int, Field(ge=0, le=10_000)]


class Notes(BaseModel):
    notes: Annotated[str, Field(max_length=200_000)]


class PaperBody(BaseModel):
    id: str
    meeting: str
    agenda_item: int
    title: str
    filename: str
    size: int
    sha256: str
    confidential: bool
    rights: list[str]  # what the asker may do with it: read, annotate, download


class NewPoll(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    method: PollMethod
    options: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)] = []
    max_choices: Annotated[int, Field(ge=1, le=50)] = 1
    secret: bool = False
    agenda_item: Annotated[int, Field(ge=0, le=10_000)] = 0


class PollBody(BaseModel):
    id: str
    meeting: str
    title: str
    method: PollMethod
    options: list[str]
    max_choices: int
    secret: bool
    state: str
    agenda_item: int
    opened: float
    closed: float


class TallyBody(BaseModel):
    poll: str
    counts: list[int]
    ballots: int
    eligible: int
    members: int


class PollTally(BaseModel):
    poll: PollBody
    tally: TallyBody
    voted: bool


class Ballot(BaseModel):
    ballot: Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    choice: Annotated[list[int], Field(max_length=50)]


class BallotAnswerBody(BaseModel):
    ballot: str
    counted: bool
    duplicate: bool
    reason: str
    message_vi: str
    message_en: str


class SignedRecord(BaseModel):
    record: dict[str, Any]
    signature: str
    key: str


class FloorGrant(BaseModel):
    limit_s: Annotated[int, Field(ge=0, le=3600)] = 0


class TurnBody(BaseModel):
    meeting: str
    name: str
    display_name: str
    requested: float
    granted: float
    ended: float
    limit_s: int


class SpeakingBody(BaseModel):
    meeting: str
    speaker: TurnBody | None
    queue: list[TurnBody]
    now: float


class IssuedBody(BaseModel):
    id: str
    meeting: str
    kind: str
    poll: str | None
    title: str
    size: int
    sha256: str
    signed_by: str
    created: float


class NewOpinionForm(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    questions: Annotated[list[Annotated[str, Field(min_length=1, max_length=2000)]], Field(min_length=1,
                                                                                            max_length=30)]
    deadline: Annotated[float, Field(ge=0, le=4e9, allow_inf_nan=False)]
    paper: Annotated[str, Field(max_length=64)] | None = None


class OpinionFormBody(BaseModel):
    id: str
    meeting: str
    paper: str | None
    title: str
    state: str
    deadline: float
    created_by: str
    approved_by: str
    sent: float
    conclusion: str
    concluded_by: str
    questions: list[str]
    recipients: list[tuple[str, str]]
    my_answers: dict[str, tuple[str, str]] = {}  # position → (answer, comment) of the asker


class OpinionAnswer(BaseModel):
    position: Annotated[int, Field(ge=1, le=30)]
    answer: Answer
    comment: Annotated[str, Field(max_length=4000)] = ""


class OpinionAnswers(BaseModel):
    answers: Annotated[list[OpinionAnswer], Field(min_length=1, max_length=30)]


class Conclusion(BaseModel):
    conclusion: Annotated[str, Field(min_length=1, max_length=20_000)]


class MarkBody(BaseModel):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    page: Annotated[int, Field(ge=0, lt=100_000)]
    kind: Literal["note", "highlight", "ink"]
    points: Annotated[list[tuple[float, float]], Field(min_length=1, max_length=4000)]
    text: Annotated[str, Field(max_length=4000)] = ""
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#f2cc60"
    width: Annotated[float, Field(ge=0.1, le=50)] = 2.0


class MarksBody(BaseModel):
    paper: str = ""
    marks: Annotated[list[MarkBody], Field(max_length=5000)]


class MarksSaved(BaseModel):
    marks: int


class Health(BaseModel):
    status: str
    version: str


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (401, "Not signed in, or the session has ended"), (403, "Not allowed (the reason says why)"),
        (404, "No such meeting, paper or poll"), (409, "Cannot be done in the present state"),
        (413, "The request is too large"), (422, "The request is malformed"))}


def _paper(paper: PaperRow, rights: list[str]) -> PaperBody:
    return PaperBody(id=paper.id, meeting=paper.meeting, agenda_item=paper.agenda_item, title=paper.title,
                     filename=paper.filename, size=paper.size, sha256=paper.sha256, confidential=paper.confidential,
                     rights=rights)


class BodyLimit(BaseHTTPMiddleware):
    """Refuses a request body larger than its limit before reading it (papers have their own, larger one)."""

    def __init__(self, app: Any, json_limit: int, paper_limit: int) -> None:
        super().__init__(app)
        self.json_limit = json_limit
        self.paper_limit = paper_limit

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        limit = (self.paper_limit if path.endswith("/papers") else
                 MAX_DOCUMENT + 64 * 1024 if path.endswith("/annotations") else self.json_limit)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return JSONResponse(OfficeError(413, "too_large", f"the request is larger than {limit} bytes",
                                            f"Yêu cầu quá lớn (tối đa {limit} byte)").body(), status_code=413)
        return await call_next(request)


def create_app(service: OfficeService) -> FastAPI:
    app = FastAPI(title="controlroom office service", version=VERSION, responses=ERRORS,
                  description="Meetings, papers, polls and ballots of the provincial operations centre.")
    app.add_middleware(BodyLimit, json_limit=service.settings.max_request_kb * 1024,
                       paper_limit=service.settings.max_paper_mb * 1024 * 1024 + 1)
    bearer = HTTPBearer(auto_error=False)

    @app.exception_handler(OfficeError)
    async def office_error(request: Request, exc: OfficeError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        log.warning("malformed request %s %s: %s", request.method, request.url.path, problems)
        return JSONResponse(invalid(problems).body(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(OfficeError(exc.status_code, "http", str(exc.detail)).body(), status_code=exc.status_code)

    def who(request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
        if credentials is None:
            raise OfficeError(401, "unauthorized", "Sign in first: Authorization: Bearer <token>", "Cần đăng nhập")
        request.state.token = credentials.credentials
        return service.principal(credentials.credentials)

    Who = Annotated[Principal, Depends(who)]  # noqa: N806 (a type alias, used in the signatures below)

    def meeting_body(meeting: Any) -> MeetingBody:
        return MeetingBody.model_validate(to_json(meeting))

    @app.get(f"{API}/health", response_model=Health, tags=["service"])
    def health() -> Health:
        return Health(status="ok", version=VERSION)

    @app.post(f"{API}/sessions", response_model=SessionBody, tags=["sessions"])
    def sign_in(body: SignIn) -> SessionBody:
        grant = service.sign_in(body.name, body.password, body.terminal)
        p = grant.principal
        return SessionBody(token=grant.token, expires=grant.expires,
                           principal=PrincipalBody(name=p.name, display_name=p.label, role=p.role.value, unit=p.unit))

    @app.delete(f"{API}/sessions/current", status_code=204, tags=["sessions"])
    def sign_out(request: Request, principal: Who) -> Response:
        service.sign_out(request.state.token, principal)
        return Response(status_code=204)

    @app.delete(f"{API}/devices/{{terminal}}", tags=["sessions"])
    def revoke_device(terminal: str, principal: Who) -> dict[str, int]:
        return {"sessions_ended": service.revoke_device(principal, terminal)}

    @app.get(f"{API}/meetings", response_model=list[MeetingBody], tags=["meetings"])
    def meetings(principal: Who, day: Annotated[datetime.date | None, Query(description="local date")] = None,
                 days: Annotated[int, Query(ge=1, le=366)] = 1,
                 unit: Annotated[str, Query(max_length=64, description="this unit and the units under it")] = ""
                 ) -> list[MeetingBody]:
        """The calendar: the meetings the asker may see starting on DAY and the DAYS after, of UNIT if given."""
        first = datetime.datetime.combine(day or datetime.date.today(), datetime.time()).timestamp()
        return [meeting_body(m) for m in service.meetings(principal, first, first + days * 86400, unit)]

    @app.post(f"{API}/meetings", response_model=MeetingBody, status_code=201, tags=["meetings"])
    def create_meeting(body: NewMeeting, principal: Who) -> MeetingBody:
        return meeting_body(service.create_meeting(principal, body.title, body.unit, body.starts, body.ends,
                                                   body.place))

    @app.get(f"{API}/meetings/{{meeting}}", response_model=MeetingBody, tags=["meetings"])
    def meeting(meeting: str, principal: Who) -> MeetingBody:
        return meeting_body(service.meeting(principal, meeting))

    @app.post(f"{API}/meetings/{{meeting}}/agenda", response_model=AgendaBody, status_code=201, tags=["meetings"])
    def add_item(meeting: str, body: NewAgendaItem, principal: Who) -> AgendaBody:
        item = service.add_agenda_item(principal, meeting, body.title, body.presenter, body.minutes)
        return AgendaBody.model_validate(to_json(item))

    @app.put(f"{API}/meetings/{{meeting}}/members/{{name}}", response_model=MeetingBody, tags=["meetings"])
    def set_member(meeting: str, name: str, body: MemberChange, principal: Who) -> MeetingBody:
        return meeting_body(service.set_member(principal, meeting, name, body.display_name, body.role))

    @app.post(f"{API}/meetings/{{meeting}}/attendance", response_model=MeetingBody, tags=["attendance"])
    def check_in(meeting: str, body: CheckIn, principal: Who) -> MeetingBody:
        return meeting_body(service.check_in(principal, meeting, body.presence, body.reason))

    @app.put(f"{API}/meetings/{{meeting}}/attendance/{{name}}", response_model=MeetingBody, tags=["attendance"])
    def record_attendance(meeting: str, name: str, body: CheckIn, principal: Who) -> MeetingBody:
        return meeting_body(service.check_in(principal, meeting, body.presence, body.reason, name))

    @app.post(f"{API}/meetings/{{meeting}}/state", response_model=MeetingBody, tags=["chair"])
    def set_state(meeting: str, body: StateChange, principal: Who) -> MeetingBody:
        return meeting_body(service.set_state(principal, meeting, MeetingState(body.state)))

    @app.post(f"{API}/meetings/{{meeting}}/current", response_model=MeetingBody, tags=["chair"])
    def set_current(meeting: str, body: CurrentItem, principal: Who) -> MeetingBody:
        return meeting_body(service.set_current_item(principal, meeting, body.position))

    @app.get(f"{API}/meetings/{{meeting}}/notes", response_model=Notes, tags=["minutes"])
    def notes(meeting: str, principal: Who) -> Notes:
        return Notes(notes=service.notes(principal, meeting))

    @app.put(f"{API}/meetings/{{meeting}}/notes", status_code=204, tags=["minutes"])
    def set_notes(meeting: str, body: Notes, principal: Who) -> Response:
        service.set_notes(principal, meeting, body.notes)
        return Response(status_code=204)

    @app.get(f"{API}/meetings/{{meeting}}/papers", response_model=list[PaperBody], tags=["papers"])
    def papers(meeting: str, principal: Who) -> list[PaperBody]:
        return [_paper(p, service.paper_rights(principal, p)) for p in service.papers(principal, meeting)]

    @app.post(f"{API}/meetings/{{meeting}}/papers", response_model=PaperBody, status_code=201, tags=["papers"],
              openapi_extra={"requestBody": {"required": True, "content": {"application/pdf": {
                  "schema": {"type": "string", "format": "binary"}}}}})
    async def upload(meeting: str, request: Request, principal: Who,
                     agenda_item: Annotated[int, Query(ge=1, le=10_000)],
                     title: Annotated[str, Query(max_length=300)] = "",
                     filename: Annotated[str, Query(max_length=200, pattern=r"^[^/\\]*$")] = "paper.pdf",
                     confidential: bool = False,
                     readers: Annotated[str, Query(max_length=4000, description="names, comma-separated; * all")] = "*",
                     annotators: Annotated[str, Query(max_length=4000)] = "*",
                     downloaders: Annotated[str, Query(max_length=4000)] = "*") -> PaperBody:
        upload = await run_in_threadpool(service.start_upload, principal, meeting)
        try:
            async for chunk in request.stream():
                await run_in_threadpool(upload.write, chunk)
        except PaperRejected as exc:
            raise OfficeError(413, "too_large", str(exc), f"Tài liệu quá lớn: {exc}") from exc
        except BaseException:
            upload.abort()
            raise
        rights = {key: [n.strip() for n in value.split(",") if n.strip()]
                  for key, value in (("read", readers), ("annotate", annotators), ("download", downloaders))}
        paper = await run_in_threadpool(service.finish_upload, principal, meeting, upload, agenda_item, title,
                                        filename, confidential, rights)
        return _paper(paper, service.paper_rights(principal, paper))

    @app.get(f"{API}/papers/{{paper}}/content", tags=["papers"], response_class=FileResponse,
             responses={200: {"content": {"application/pdf": {}}, "description": "the paper (Range requests: 206)"},
                        206: {"content": {"application/pdf": {}}, "description": "part of the paper"}})
    def paper_content(paper: str, principal: Who) -> FileResponse:
        row, path = service.paper_file(principal, paper)
        return FileResponse(path, media_type="application/pdf", headers={
            "X-Content-SHA256": row.sha256, "Cache-Control": "no-store", "ETag": f'"{row.sha256}"'})

    @app.get(f"{API}/papers/{{paper}}/annotations", response_model=MarksBody, tags=["papers"])
    def annotations(paper: str, principal: Who) -> MarksBody:
        """The asker's own marks over the paper (nobody else's)."""
        return MarksBody.model_validate(json.loads(service.annotations(principal, paper).to_json()))

    @app.put(f"{API}/papers/{{paper}}/annotations", response_model=MarksSaved, tags=["papers"])
    def save_annotations(paper: str, body: MarksBody, principal: Who) -> MarksSaved:
        try:
            marks = parse_marks(body.model_dump(), paper)
        except AnnotationError as exc:
            raise invalid(str(exc)) from exc
        return MarksSaved(marks=service.save_annotations(principal, paper, marks))

    @app.get(f"{API}/papers/{{paper}}/annotations/export", tags=["papers"], response_class=Response,
             responses={200: {"content": {"application/pdf": {}}, "description": "the asker's marks as a PDF"}})
    def export_annotations(paper: str, principal: Who) -> Response:
        return Response(service.export_annotations(principal, paper), media_type="application/pdf")

    @app.get(f"{API}/meetings/{{meeting}}/polls", response_model=list[PollBody], tags=["polls"])
    def polls(meeting: str, principal: Who) -> list[PollBody]:
        return [PollBody.model_validate(to_json(p)) for p in service.polls(principal, meeting)]

    @app.post(f"{API}/meetings/{{meeting}}/polls", response_model=PollBody, status_code=201, tags=["polls"])
    def create_poll(meeting: str, body: NewPoll, principal: Who) -> PollBody:
        poll = service.create_poll(principal, meeting, body.title, body.method, body.options, body.max_choices,
                                   body.secret, body.agenda_item)
        return PollBody.model_validate(to_json(poll))

    @app.post(f"{API}/polls/{{poll}}/open", response_model=PollBody, tags=["polls"])
    def open_poll(poll: str, principal: Who) -> PollBody:
        return PollBody.model_validate(to_json(service.open_poll(principal, poll)))

    @app.post(f"{API}/polls/{{poll}}/close", response_model=SignedRecord, tags=["polls"])
    def close_poll(poll: str, principal: Who) -> SignedRecord:
        return SignedRecord.model_validate(service.close_poll(principal, poll))

    @app.post(f"{API}/polls/{{poll}}/ballots", response_model=BallotAnswerBody, tags=["polls"],
              responses={409: {"model": BallotAnswerBody, "description": "refused: the reason says why"}})
    def cast(poll: str, body: Ballot, principal: Who) -> Any:
        answer = service.cast(principal, poll, body.ballot, body.choice)
        data = BallotAnswerBody(ballot=answer.ballot, counted=answer.counted, duplicate=answer.duplicate,
                                reason=answer.reason, message_vi=answer.message_vi, message_en=answer.message_en)
        return data if answer.counted else JSONResponse(data.model_dump(), status_code=409)

    @app.get(f"{API}/polls/{{poll}}/tally", response_model=PollTally, tags=["polls"])
    def tally(poll: str, principal: Who) -> PollTally:
        return PollTally.model_validate(service.tally(principal, poll))

    @app.get(f"{API}/polls/{{poll}}/result", response_model=SignedRecord, tags=["polls"])
    def result(poll: str, principal: Who) -> SignedRecord:
        return SignedRecord.model_validate(service.result(principal, poll))

    @app.post(f"{API}/meetings/{{meeting}}/minutes", response_model=IssuedBody, status_code=201, tags=["minutes"],
              responses={503: {"model": ErrorBody, "description": "the signing token cannot be used"}})
    def issue_minutes(meeting: str, principal: Who) -> IssuedBody:
        return IssuedBody.model_validate(to_json(service.issue_minutes(principal, meeting)))

    @app.post(f"{API}/polls/{{poll}}/resolution", response_model=IssuedBody, status_code=201, tags=["minutes"],
              responses={503: {"model": ErrorBody, "description": "the signing token cannot be used"}})
    def issue_resolution(poll: str, principal: Who) -> IssuedBody:
        return IssuedBody.model_validate(to_json(service.issue_resolution(principal, poll)))

    @app.get(f"{API}/meetings/{{meeting}}/issued", response_model=list[IssuedBody], tags=["minutes"])
    def issued(meeting: str, principal: Who) -> list[IssuedBody]:
        return [IssuedBody.model_validate(to_json(d)) for d in service.issued(principal, meeting)]

    @app.get(f"{API}/issued/{{document}}/content", tags=["minutes"], response_class=FileResponse,
             responses={200: {"content": {"application/pdf": {}}, "description": "the signed PDF"}})
    def issued_content(document: str, principal: Who) -> FileResponse:
        doc, path = service.issued_file(principal, document)
        return FileResponse(path, media_type="application/pdf", headers={"X-Content-SHA256": doc.sha256})

    def form_body(form: OpinionForm, mine: dict[int, tuple[str, str]] | None = None) -> OpinionFormBody:
        data = to_json(form)
        data["my_answers"] = {str(k): v for k, v in (mine or {}).items()}
        return OpinionFormBody.model_validate(data)

    @app.post(f"{API}/meetings/{{meeting}}/opinions", response_model=OpinionFormBody, status_code=201,
              tags=["opinions"])
    def create_opinion(meeting: str, body: NewOpinionForm, principal: Who) -> OpinionFormBody:
        return form_body(service.create_opinion(principal, meeting, body.title, body.questions, body.deadline,
                                                body.paper))

    @app.get(f"{API}/meetings/{{meeting}}/opinions", response_model=list[OpinionFormBody], tags=["opinions"])
    def opinions(meeting: str, principal: Who) -> list[OpinionFormBody]:
        return [form_body(f, service.opinions.answers_of(f.id, principal.name))
                for f in service.opinion_forms(principal, meeting)]

    @app.get(f"{API}/opinions/{{form}}", response_model=OpinionFormBody, tags=["opinions"])
    def opinion(form: str, principal: Who) -> OpinionFormBody:
        return form_body(*service.opinion(principal, form))

    @app.post(f"{API}/opinions/{{form}}/conclusion", response_model=SignedRecord, tags=["opinions"])
    def conclude_opinion(form: str, body: Conclusion, principal: Who) -> SignedRecord:
        return SignedRecord.model_validate(service.conclude_opinion(principal, form, body.conclusion))

    steps = {"submit": service.submit_opinion, "approve": service.approve_opinion, "return": service.return_opinion,
             "send": service.send_opinion, "close": service.close_opinion}

    @app.post(f"{API}/opinions/{{form}}/{{step}}", response_model=OpinionFormBody, tags=["opinions"])
    def opinion_step(form: str, step: Literal["submit", "approve", "return", "send", "close"],
                     principal: Who) -> OpinionFormBody:
        """submit (secretary → chair), approve or return (the chair), send (to the members), close."""
        return form_body(steps[step](principal, form))

    @app.put(f"{API}/opinions/{{form}}/answers", response_model=OpinionFormBody, tags=["opinions"])
    def answer_opinion(form: str, body: OpinionAnswers, principal: Who) -> OpinionFormBody:
        mine = service.answer_opinion(principal, form, [(a.position, a.answer, a.comment) for a in body.answers])
        return form_body(service.opinion(principal, form)[0], mine)

    @app.get(f"{API}/opinions/{{form}}/summary", tags=["opinions"])
    def opinion_summary(form: str, principal: Who) -> dict[str, Any]:
        """Each question's counts against all recipients, the comments, who has not answered, the reminders."""
        return service.opinion_summary(principal, form)

    @app.get(f"{API}/meetings/{{meeting}}/floor", response_model=SpeakingBody, tags=["speaking"])
    def speaking(meeting: str, principal: Who) -> SpeakingBody:
        return SpeakingBody.model_validate(service.speaking(principal, meeting))

    @app.post(f"{API}/meetings/{{meeting}}/floor", response_model=SpeakingBody, tags=["speaking"])
    def request_floor(meeting: str, principal: Who) -> SpeakingBody:
        service.request_floor(principal, meeting)
        return SpeakingBody.model_validate(service.speaking_state(meeting))

    @app.delete(f"{API}/meetings/{{meeting}}/floor", response_model=SpeakingBody, tags=["speaking"])
    def withdraw_floor(meeting: str, principal: Who) -> SpeakingBody:
        service.withdraw_floor(principal, meeting)
        return SpeakingBody.model_validate(service.speaking_state(meeting))

    @app.post(f"{API}/meetings/{{meeting}}/floor/{{name}}/grant", response_model=SpeakingBody, tags=["speaking"])
    def grant_floor(meeting: str, name: str, body: FloorGrant, principal: Who) -> SpeakingBody:
        service.grant_floor(principal, meeting, name, body.limit_s)
        return SpeakingBody.model_validate(service.speaking_state(meeting))

    @app.post(f"{API}/meetings/{{meeting}}/floor/{{name}}/end", response_model=SpeakingBody, tags=["speaking"])
    def end_turn(meeting: str, name: str, principal: Who) -> SpeakingBody:
        service.end_turn(principal, meeting, name)
        return SpeakingBody.model_validate(service.speaking_state(meeting))

    return app
