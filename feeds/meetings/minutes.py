"""The minutes (biên bản) of a meeting and the resolution (nghị quyết) of a poll, as Vietnamese PDFs."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from feeds.meetings.annotations import MarkSet
from feeds.meetings.pdf_papers import Document
from feeds.meetings.records import Meeting, MemberRole, Poll, Presence

PRESENCE_VI = {Presence.IN_ROOM: "Có mặt", Presence.ONLINE: "Dự trực tuyến", Presence.ABSENT: "Vắng",
               Presence.UNKNOWN: "Chưa điểm danh"}
ROLE_VI = {MemberRole.CHAIR: "Chủ trì", MemberRole.MEMBER: "Thành viên", MemberRole.SECRETARY: "Thư ký",
           MemberRole.GUEST: "Khách mời"}


def _when(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts).strftime("%H:%M ngày %d/%m/%Y")


def _result_lines(poll: Poll, record: dict[str, Any]) -> list[list[str]]:
    tally = record["tally"]
    base = max(1, int(tally["ballots"]))
    return [[option, str(n), f"{100 * n / base:.1f} %".replace(".", ",")]
            for option, n in zip(poll.options, tally["counts"])]


def passed(poll: Poll, record: dict[str, Any]) -> bool:
    """A yes/no poll passes with more than half of all voting members in favour (Decree 39/2022's rule)."""
    tally = record["tally"]
    return bool(poll.method.value == "yes_no_abstain" and tally["counts"][0] * 2 > tally["members"])


def make_minutes(meeting: Meeting, notes: str, polls: Sequence[tuple[Poll, dict[str, Any] | None]],
                 issuer: str, recordings: Sequence[str] = ()) -> bytes:
    """The minutes; RECORDINGS: one line per file of the meeting's conference recording, kept on premises."""
    pdf = Document(issuer, "Biên bản cuộc họp")
    pdf.add_page()
    pdf.heading(f"BIÊN BẢN\n{meeting.title}")
    pdf.paragraph(f"Thời gian: từ {_when(meeting.starts)}. Địa điểm: {meeting.place or '—'}.")
    pdf.section("I. Thành phần")
    pdf.grid(["Họ và tên", "Vai trò", "Điểm danh"],
             [[m.display_name, ROLE_VI[m.role], PRESENCE_VI[m.presence] + (f" ({m.absence_reason})"
                                                                          if m.absence_reason else "")]
              for m in meeting.members], [70, 35, 75])
    pdf.section("II. Chương trình")
    for item in meeting.agenda:
        pdf.paragraph(f"{item.position}. {item.title}" + (f" — trình bày: {item.presenter}" if item.presenter else ""))
    pdf.section("III. Kết quả biểu quyết")
    if not polls:
        pdf.paragraph("Không có nội dung biểu quyết.")
    for poll, record in polls:
        kind = "bỏ phiếu kín" if poll.secret else "biểu quyết công khai"
        if record is None:
            pdf.paragraph(f"{poll.title} ({kind}): chưa kết thúc.")
            continue
        tally = record["tally"]
        pdf.paragraph(f"{poll.title} ({kind}): {tally['ballots']} phiếu trên {tally['members']} thành viên, "
                      f"{tally['eligible']} có mặt.")
        pdf.grid(["Phương án", "Số phiếu", "Tỷ lệ"], _result_lines(poll, record), [100, 35, 45])
    pdf.section("IV. Ý kiến và kết luận")
    pdf.paragraph(notes.strip() or "(Thư ký chưa ghi nội dung.)")
    if recordings:
        pdf.section("V. Ghi hình hội nghị (lưu tại trung tâm)")
        for line in recordings:
            pdf.paragraph(line)
    pdf.ln(6)
    pdf.paragraph("Biên bản được lập bằng hệ thống họp không giấy và ký số bởi Văn phòng điện tử.")
    return bytes(pdf.output())


def make_resolution(meeting: Meeting, poll: Poll, record: dict[str, Any], issuer: str) -> bytes:
    pdf = Document(issuer, "Nghị quyết")
    pdf.add_page()
    pdf.heading(f"NGHỊ QUYẾT\n{poll.title}")
    pdf.paragraph(f"Tại {meeting.title}, {_when(poll.closed)}, các thành viên đã biểu quyết như sau:")
    pdf.grid(["Phương án", "Số phiếu", "Tỷ lệ"], _result_lines(poll, record), [100, 35, 45])
    if poll.method.value == "yes_no_abstain":
        verdict = "được THÔNG QUA" if passed(poll, record) else "KHÔNG được thông qua"
        pdf.paragraph(f"Với {record['tally']['counts'][0]}/{record['tally']['members']} thành viên tán thành, "
                      f"nội dung {verdict}.")
    pdf.paragraph("Nghị quyết có hiệu lực kể từ ngày ký.")
    return bytes(pdf.output())


def make_marks_pdf(issuer: str, paper_title: str, author: str, marks: MarkSet) -> bytes:
    """A member's notes, highlights and ink over a paper, page by page (an export for its author)."""
    kinds = {"note": "Ghi chú", "highlight": "Tô sáng", "ink": "Nét vẽ tay"}
    pdf = Document(issuer, "Ghi chú cá nhân")
    pdf.add_page()
    pdf.heading(f"Ghi chú cá nhân của {author}\ntrên tài liệu «{paper_title}»")
    if not marks.marks:
        pdf.paragraph("Chưa có ghi chú.")
    for page in sorted({m.page for m in marks.marks}):
        pdf.section(f"Trang {page + 1}")
        for mark in marks.on_page(page):
            where = ", ".join(f"({x:.0f}; {y:.0f})" for x, y in mark.points[:2])
            extra = f": {mark.text}" if mark.text else (f" — {len(mark.points)} điểm" if mark.kind == "ink" else "")
            pdf.paragraph(f"{kinds[mark.kind]} tại {where}{extra}")
    return bytes(pdf.output())
