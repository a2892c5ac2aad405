"""The demo's meeting of today: agenda, members, three Vietnamese papers made here, a vote ready to open."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from feeds.meetings.pdf_papers import make_paper
from feeds.meetings.records import MemberRole, PollMethod
from feeds.meetings.store import MeetingStore

ISSUER = "UBND tỉnh Thanh Hóa"
NOTE = ("Số liệu trong tài liệu này là số liệu minh họa cho bản trình diễn, lấy theo các báo cáo công khai "
        "của tỉnh; không dùng làm căn cứ chính thức.")

PAPERS = (
    (1, "Báo cáo tình hình kinh tế - xã hội năm 2025", False, [
        ("Tình hình chung", "Năm 2025 tăng trưởng GRDP của tỉnh ước đạt 8,27 %, quy mô GRDP khoảng 333.617 tỷ đồng. "
         "Thu ngân sách trên địa bàn vượt 57.000 tỷ đồng, tăng 25,6 % so với dự toán. " + NOTE),
        ("Tổ chức bộ máy", "Từ ngày 01/7/2025 tỉnh có 166 đơn vị hành chính cấp xã (147 xã, 19 phường) theo "
         "Nghị quyết 1686/NQ-UBTVQH15; các xã, phường mới vận hành ổn định, tiếp nhận hồ sơ trực tuyến."),
        ("Nhiệm vụ trọng tâm", "Đẩy nhanh giải ngân vốn đầu tư công; hoàn thiện Trung tâm điều hành thông minh (IOC) "
         "kết nối các sở, ngành; nâng cao chất lượng phản ánh, kiến nghị của người dân và doanh nghiệp."),
    ], (["Chỉ tiêu", "Năm 2025 (ước)"], [["Tăng trưởng GRDP", "8,27 %"], ["Quy mô GRDP", "333.617 tỷ đồng"],
                                       ["Thu ngân sách", "> 57.000 tỷ đồng"], ["Đơn vị cấp xã", "166"]], [95, 80])),
    (2, "Tờ trình kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn mùa mưa bão", False, [
        ("Sự cần thiết", "Vùng ven biển Sầm Sơn, Nghi Sơn, Quảng Xương, Hoằng Hóa thường chịu ảnh hưởng của bão và "
         "nước dâng; đội tàu cá của tỉnh có 5.877 chiếc (cuối năm 2023), trong đó 1.109 chiếc dài từ 15 m trở lên."),
        ("Nội dung đề xuất", "Kiểm tra 100 % tàu cá có thiết bị giám sát hành trình; diễn tập sơ tán dân vùng "
         "trũng; bố trí lực lượng ứng trực tại các cửa lạch Hới, Sầm Sơn, Bạng; kết nối dữ liệu về IOC."),
        ("Kinh phí", "Từ nguồn dự phòng ngân sách tỉnh và Quỹ phòng, chống thiên tai. " + NOTE),
    ], None),
    (3, "Dự thảo Nghị quyết về đầu tư hệ thống quan trắc môi trường tự động", True, [
        ("Phạm vi", "Lắp đặt bổ sung trạm quan trắc không khí tự động tại Khu kinh tế Nghi Sơn, phường Hạc Thành và "
         "Sầm Sơn; truyền số liệu liên tục về Sở Tài nguyên và Môi trường và Trung tâm điều hành."),
        ("Tổ chức thực hiện", "Giao Sở Tài nguyên và Môi trường chủ trì; Sở Tài chính bố trí kinh phí; UBND các xã, "
         "phường phối hợp. Tài liệu MẬT: chỉ xem trên thiết bị, không lưu bản sao."),
    ], None),
)


def demo_day(now: datetime.datetime) -> tuple[float, float]:
    """Today from 08:00 to 17:00 local time (or around now, late in the evening), as epoch seconds."""
    start = now.replace(hour=8, minute=0, second=0, microsecond=0)
    if now.hour >= 17:
        start = now.replace(minute=0, second=0, microsecond=0)
    return start.timestamp(), (start + datetime.timedelta(hours=9)).timestamp()


def seed_demo_meeting(store: MeetingStore, save_paper: Callable[[bytes], tuple[int, str]],
                      now: datetime.datetime | None = None) -> str:
    """Today's meeting, made once per day; SAVE_PAPER keeps a PDF and answers (size, sha256)."""
    now = now or datetime.datetime.now()
    starts, ends = demo_day(now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    existing = store.meetings(midnight, midnight + 86400)
    if existing:
        return existing[0].id
    meeting = store.create_meeting("Phiên họp thường kỳ UBND tỉnh", "tinh", starts, ends,
                                   "Phòng họp số 1, Trung tâm điều hành thông minh")
    for title, presenter, minutes in (
        ("Tình hình kinh tế - xã hội năm 2025 và nhiệm vụ năm 2026", "Sở Tài chính", 40),
        ("Kế hoạch phòng, chống thiên tai mùa mưa bão", "Sở Nông nghiệp và Môi trường", 30),
        ("Đầu tư hệ thống quan trắc môi trường tự động", "Sở Tài nguyên và Môi trường", 30),
    ):
        store.add_agenda_item(meeting, title, presenter, minutes)
    for name, display, role in (("lanhdao", "Phạm Minh Đức", MemberRole.CHAIR),
                                ("lanhdaotruc", "Lê Thị Hạnh", MemberRole.MEMBER),
                                ("thuky", "Trần Thu Hà", MemberRole.SECRETARY),
                                ("moitruong", "Hoàng Văn Môi", MemberRole.GUEST)):
        store.set_member(meeting, name, display, role)
    for item, title, confidential, sections, table in PAPERS:
        data = make_paper(ISSUER, title, sections, table)
        size, sha256 = save_paper(data)
        everyone = ["*"]
        store.add_paper(meeting, item, title, f"tai-lieu-{item}.pdf", size, sha256, confidential,
                        {"read": everyone, "annotate": everyone, "download": [] if confidential else everyone},
                        "thuky")
    store.create_poll(meeting, "Thông qua Kế hoạch phòng, chống thiên tai mùa mưa bão", PollMethod.YES_NO_ABSTAIN,
                      agenda_item=2)
    store.create_poll(meeting, "Chọn địa điểm ưu tiên lắp trạm quan trắc", PollMethod.CHOICE,
                      ("Khu kinh tế Nghi Sơn", "Phường Hạc Thành", "Phường Sầm Sơn"), max_choices=2, secret=True,
                      agenda_item=3)
    return meeting
