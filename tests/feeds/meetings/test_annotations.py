"""A member's marks over a paper: their own layer, the paper unchanged, sealed on the tablet and at the
service, given back to the author alone, exported as a PDF of their own."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from feeds.meetings.annotations import AnnotationError, Mark, MarkSet
from feeds.meetings.client import OfficeRefused
from feeds.meetings.paper_vault import PaperVault, VaultLocked
from feeds.meetings.pdf_papers import make_paper
from tests.feeds.meetings.conftest import MEMBERS, make_meeting
from tests.support.office import OfficeProcess


def test_marks_are_the_authors_alone_and_sealed_at_rest(tablets, office: OfficeProcess):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    data = make_paper("UBND tỉnh", "Tờ trình", [("Nội dung", "Văn bản để ghi chú.")])
    paper = secretary.upload_paper(meeting, data, agenda_item=1, title="Tờ trình", annotators="pct1,pct2")
    pct1, pct2, chair = tablets("pct1"), tablets("pct2"), tablets("chutich")
    marks = MarkSet(paper["id"])
    marks.add(Mark.new(0, "note", [(72, 144)], "Cần làm rõ nguồn vốn — bí mật riêng"))
    marks.add(Mark.new(0, "highlight", [(60, 200), (300, 214)]))
    marks.add(Mark.new(0, "ink", [(100, 300), (120, 310), (140, 305)], width=1.5, colour="#f85149"))
    body = {"marks": [m.__dict__ | {"points": [list(p) for p in m.points]} for m in marks.marks]}
    assert pct1.call("PUT", f"/papers/{paper['id']}/annotations", body)["marks"] == 3
    mine = pct1.call("GET", f"/papers/{paper['id']}/annotations")
    assert [m["kind"] for m in mine["marks"]] == ["note", "highlight", "ink"]
    assert mine["marks"][0]["text"] == "Cần làm rõ nguồn vốn — bí mật riêng"
    assert pct2.call("GET", f"/papers/{paper['id']}/annotations")["marks"] == []  # another member sees none of them
    with pytest.raises(OfficeRefused) as no_right:
        chair.call("GET", f"/papers/{paper['id']}/annotations")
    assert no_right.value.status == 403 and "annotate" in no_right.value.message_en
    exported = b"".join(pct1.stream(f"/papers/{paper['id']}/annotations/export"))
    assert exported.startswith(b"%PDF-")
    official = b"".join(pct1.stream(f"/papers/{paper['id']}/content"))
    assert hashlib.sha256(official).hexdigest() == paper["sha256"]  # the paper itself is never changed
    db = sqlite3.connect(f"file:{office.db}?mode=ro", uri=True)
    try:
        sealed = db.execute("SELECT sealed FROM annotations WHERE paper = ?", (paper["id"],)).fetchone()[0]
    finally:
        db.close()
    assert "bí mật riêng".encode() not in sealed and b"highlight" not in sealed
    for bad, words in (({"marks": [{"id": "x", "page": 0, "kind": "ink", "points": [[1, 2]]}]}, "2 to 4000"),
                       ({"marks": [{"id": "x", "page": -1, "kind": "note", "points": [[1, 2]]}]}, "page"),
                       ({"marks": [{"id": "x", "page": 0, "kind": "stamp", "points": [[1, 2]]}]}, "kind")):
        with pytest.raises(OfficeRefused) as refused:
            pct1.call("PUT", f"/papers/{paper['id']}/annotations", bad)
        assert refused.value.status == 422 and words in refused.value.message_en


def test_marks_on_the_tablet_open_only_with_the_members_key(tmp_path: Path):
    vault = PaperVault(tmp_path, "pct1")
    vault.unlock("mat-khau-hop")
    marks = MarkSet("tl-1", [Mark.new(2, "note", [(10, 20)], "Ghi chú riêng")])
    vault.seal_document("tl-1.marks", marks.to_json())
    assert b"Ghi ch" not in (tmp_path / "pct1" / "tl-1.marks.doc").read_bytes()
    assert MarkSet.from_json(vault.open_document("tl-1.marks"), "tl-1").marks == marks.marks
    other = PaperVault(tmp_path / "copy", "pct1")
    other.unlock("khac")
    (other.folder / "tl-1.marks.doc").write_bytes((tmp_path / "pct1" / "tl-1.marks.doc").read_bytes())
    with pytest.raises(VaultLocked):
        other.open_document("tl-1.marks")
    with pytest.raises(AnnotationError):
        MarkSet.from_json(b'{"marks": [{"id": "a", "page": 0, "kind": "note", "points": [[NaN, 1]]}]}', "tl-1")


def test_notes_on_a_confidential_paper_are_not_exported(tablets):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    paper = secretary.upload_paper(meeting, make_paper("UBND", "MẬT", [("a", "b")]), agenda_item=1, title="MẬT",
                                   confidential=True)
    pct1 = tablets("pct1")
    pct1.call("PUT", f"/papers/{paper['id']}/annotations",
              {"marks": [{"id": "n1", "page": 0, "kind": "note", "points": [[10, 10]], "text": "riêng"}]})
    with pytest.raises(OfficeRefused) as refused:
        b"".join(pct1.stream(f"/papers/{paper['id']}/annotations/export"))
    assert refused.value.status == 403 and "confidential" in refused.value.message_en


def test_notes_made_offline_are_kept_as_not_yet_sent(tmp_path: Path):
    vault = PaperVault(tmp_path, "pct1")
    vault.unlock("mat-khau-hop")
    vault.seal_document("tl-1.marks", b'{"marks": []}', unsent=True)
    vault.seal_document("tl-2.marks", b'{"marks": []}')
    assert vault.unsent_documents(".marks") == ["tl-1"] and vault.is_unsent("tl-1.marks")
    vault.mark_sent("tl-1.marks")
    assert vault.unsent_documents(".marks") == []
    vault.reset("mat-khau-moi")  # the password changed: what the old key sealed is gone, the new key works
    assert vault.open_document("tl-1.marks") is None
    again = PaperVault(tmp_path, "pct1")
    again.unlock("mat-khau-moi")
