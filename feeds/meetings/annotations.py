"""A member's private marks over a paper — notes, highlights, ink — in a layer of their own.

The official PDF is never changed: marks are kept apart, in PDF points on their page (so they sit right at any
zoom), as one JSON document per (paper, author). On the tablet the document is sealed with the member's vault
key; at the service with its own at-rest key, and it is given back to its author alone."""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("note", "highlight", "ink")
MAX_MARKS = 5000
MAX_POINTS = 4000  # per ink stroke
MAX_TEXT = 4000
MAX_DOCUMENT = 2 * 1024 * 1024


class AnnotationError(ValueError):
    """A mark or a document of marks that is not well formed; the message says where."""


@dataclass(frozen=True)
class Mark:
    id: str
    page: int  # 0-based
    kind: str  # note, highlight, ink
    points: tuple[tuple[float, float], ...]  # PDF points from the page's top-left: note 1, highlight 2, ink n
    text: str = ""  # a note's text
    colour: str = "#f2cc60"
    width: float = 2.0  # ink, in points

    @staticmethod
    def new(page: int, kind: str, points: list[tuple[float, float]], text: str = "", colour: str = "#f2cc60",
            width: float = 2.0) -> Mark:
        return check_mark({"id": uuid.uuid4().hex, "page": page, "kind": kind, "points": points, "text": text,
                           "colour": colour, "width": width})


@dataclass
class MarkSet:
    paper: str
    marks: list[Mark] = field(default_factory=list)

    def on_page(self, page: int) -> list[Mark]:
        return [m for m in self.marks if m.page == page]

    def add(self, mark: Mark) -> None:
        if len(self.marks) >= MAX_MARKS:
            raise AnnotationError(f"a paper takes at most {MAX_MARKS} marks")
        self.marks.append(mark)

    def remove_last(self, page: int) -> Mark | None:
        for n in range(len(self.marks) - 1, -1, -1):
            if self.marks[n].page == page:
                return self.marks.pop(n)
        return None

    def to_json(self) -> bytes:
        return json.dumps({"paper": self.paper, "marks": [asdict(m) for m in self.marks]}, ensure_ascii=False,
                          allow_nan=False).encode()

    @classmethod
    def from_json(cls, data: bytes, paper: str) -> MarkSet:
        if len(data) > MAX_DOCUMENT:
            raise AnnotationError(f"the marks are larger than {MAX_DOCUMENT} bytes")
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise AnnotationError(f"not JSON: {exc}") from None
        return parse_marks(doc, paper)


def parse_marks(doc: Any, paper: str) -> MarkSet:
    if not isinstance(doc, dict) or not isinstance(doc.get("marks"), list):
        raise AnnotationError("expected {\"marks\": [...]}")
    if len(doc["marks"]) > MAX_MARKS:
        raise AnnotationError(f"a paper takes at most {MAX_MARKS} marks")
    return MarkSet(paper, [check_mark(m, n) for n, m in enumerate(doc["marks"])])


def check_mark(raw: Any, n: int = 0) -> Mark:
    where = f"marks[{n}]"
    if not isinstance(raw, dict):
        raise AnnotationError(f"{where}: expected an object")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise AnnotationError(f"{where}.kind: expected one of {', '.join(KINDS)}")
    page = raw.get("page")
    if not isinstance(page, int) or isinstance(page, bool) or not 0 <= page < 100_000:
        raise AnnotationError(f"{where}.page: expected a page number")
    points = raw.get("points")
    needed = {"note": (1, 1), "highlight": (2, 2), "ink": (2, MAX_POINTS)}[kind]
    if not isinstance(points, list | tuple) or not needed[0] <= len(points) <= needed[1]:
        raise AnnotationError(f"{where}.points: a {kind} has {needed[0]} to {needed[1]} points")
    clean = []
    for p in points:
        if (not isinstance(p, list | tuple) or len(p) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                           and -1e5 < v < 1e5 for v in p)):
            raise AnnotationError(f"{where}.points: each point is [x, y] in points on the page")
        clean.append((float(p[0]), float(p[1])))
    text = raw.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise AnnotationError(f"{where}.text: at most {MAX_TEXT} characters")
    colour = raw.get("colour", "#f2cc60")
    if not isinstance(colour, str) or len(colour) != 7 or not colour.startswith("#"):
        raise AnnotationError(f"{where}.colour: expected #rrggbb")
    width = raw.get("width", 2.0)
    if not isinstance(width, int | float) or isinstance(width, bool) or not 0.1 <= width <= 50:
        raise AnnotationError(f"{where}.width: expected 0.1 to 50 points")
    mark_id = raw.get("id")
    if not isinstance(mark_id, str) or not 1 <= len(mark_id) <= 64:
        raise AnnotationError(f"{where}.id: expected a short string")
    return Mark(mark_id, page, kind, tuple(clean), text, colour, float(width))
