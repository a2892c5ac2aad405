"""Papers on a tablet: a download cut at half resumes, the copy opens only with its user's key, and a
confidential paper never touches the tablet's disk."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from feeds.meetings.client import OfficeUnavailable
from feeds.meetings.paper_vault import PaperInfo, PaperVault, VaultLocked, open_paper
from feeds.meetings.pdf_papers import make_paper
from tests.feeds.meetings.conftest import MEMBERS, make_meeting
from tests.support.office import OfficeProcess
from tests.support.proxy import CuttableProxy


@pytest.fixture(scope="module")
def long_paper() -> bytes:
    """A paper of about 1 MB: a photograph-like figure (noise does not compress) and some pages of text."""
    noise = Image.frombytes("RGB", (700, 700), np.random.default_rng(5).bytes(700 * 700 * 3))
    figure = io.BytesIO()
    noise.save(figure, "JPEG", quality=90)
    return make_paper("UBND tỉnh Thanh Hóa", "Báo cáo dài", [("Nội dung", "Văn bản nhiều trang. " * 200)],
                      pages=5, figure=figure.getvalue())


def _papers(client, meeting: str) -> dict[str, PaperInfo]:
    return {p["title"]: PaperInfo.from_json(p) for p in client.call("GET", f"/meetings/{meeting}/papers")}


def test_a_download_cut_at_half_resumes_and_opens_only_with_the_users_key(tablets, office: OfficeProcess,
                                                                         tmp_path: Path, long_paper: bytes):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    secretary.upload_paper(meeting, long_paper, agenda_item=1, title="Báo cáo dài")
    proxy = CuttableProxy(office.port)
    try:
        tablet = tablets("pct1", proxy.url)
        info = _papers(tablet, meeting)["Báo cáo dài"]
        assert info.size == len(long_paper) and info.sha256 == hashlib.sha256(long_paper).hexdigest()
        vault = PaperVault(tmp_path / "tablet", "pct1")
        vault.unlock("mat-khau-hop")
        proxy.passed = 0
        proxy.cut_after = 2000 + info.size // 2  # the answer's headers and half the paper, then the link drops
        seen: list[int] = []
        with pytest.raises(OfficeUnavailable):
            vault.sync(tablet, info, lambda done, total: seen.append(done))
        kept = vault.folder / f"{info.id}.part"
        assert kept.exists() and 0 < max(seen) < info.size
        assert long_paper[:4096] not in kept.read_bytes()  # what arrived is sealed, not plain
        proxy.restore()
        proxy.passed = 0
        vault.sync(tablet, info, lambda done, total: seen.append(done))
        assert proxy.passed < info.size  # the rest only, by an HTTP Range request
        assert vault.read(info.id) == long_paper
        assert long_paper[:64] not in vault.path(info.id).read_bytes()
        vault.lock()
        with pytest.raises(VaultLocked):
            vault.read(info.id)
        other = PaperVault(tmp_path / "tablet", "pct1")
        with pytest.raises(VaultLocked):
            other.unlock("mat-khau-khac")  # another sign-in's key does not open them
        stolen = PaperVault(tmp_path / "thief", "pct1")  # the sealed file copied to another vault and key
        stolen.unlock("mat-khau-khac")
        (stolen.folder / vault.path(info.id).name).write_bytes(vault.path(info.id).read_bytes())
        (stolen.folder / f"{info.id}.json").write_bytes((vault.folder / f"{info.id}.json").read_bytes())
        with pytest.raises(VaultLocked):
            stolen.read(info.id)
    finally:
        proxy.close()


def test_a_confidential_paper_never_touches_the_tablets_disk(tablets, tmp_path: Path, long_paper: bytes):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    secret = make_paper("UBND tỉnh Thanh Hóa", "Tài liệu MẬT", [("Nội dung", "Không lưu trên máy tính bảng.")])
    secretary.upload_paper(meeting, secret, agenda_item=3, title="Tài liệu MẬT", confidential=True)
    secretary.upload_paper(meeting, long_paper, agenda_item=1, title="Chỉ đọc", downloaders="thuky")
    tablet = tablets("pct2")
    papers = _papers(tablet, meeting)
    vault = PaperVault(tmp_path / "tablet", "pct2")
    vault.unlock("mat-khau-hop")
    assert papers["Tài liệu MẬT"].confidential and not papers["Tài liệu MẬT"].keep_on_tablet
    assert "download" not in papers["Chỉ đọc"].rights and "read" in papers["Chỉ đọc"].rights
    assert open_paper(vault, tablet, papers["Tài liệu MẬT"]) == secret
    assert open_paper(vault, tablet, papers["Chỉ đọc"]) == long_paper
    with pytest.raises(PermissionError):
        vault.sync(tablet, papers["Tài liệu MẬT"])
    names = sorted(p.name for p in (tmp_path / "tablet").rglob("*") if p.is_file())
    assert names == ["check", "salt"]  # the key check and salt; no paper, whole or part
    assert not any(secret[:200] in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_a_paper_without_the_read_right_is_refused(tablets):
    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    secretary.upload_paper(meeting, make_paper("UBND", "Riêng", [("a", "b")]), agenda_item=2, title="Riêng",
                           readers="chutich", annotators="chutich", downloaders="chutich")
    assert _papers(tablets("pct1"), meeting) == {}
    chair = tablets("chutich")
    info = _papers(chair, meeting)["Riêng"]
    pct1 = tablets("pct1")
    from feeds.meetings.client import OfficeRefused

    with pytest.raises(OfficeRefused) as refused:
        b"".join(pct1.stream(f"/papers/{info.id}/content"))
    assert refused.value.status == 403 and "right to read" in refused.value.message_en


def test_a_damaged_copy_on_the_tablet_is_fetched_again(tablets, tmp_path: Path, long_paper: bytes):
    from feeds.meetings.paper_vault import PaperDamaged

    secretary = tablets("thuky")
    meeting = make_meeting(secretary, MEMBERS)
    secretary.upload_paper(meeting, long_paper, agenda_item=1, title="Báo cáo dài")
    tablet = tablets("pct1")
    info = _papers(tablet, meeting)["Báo cáo dài"]
    vault = PaperVault(tmp_path / "tablet", "pct1")
    vault.unlock("mat-khau-hop")
    vault.sync(tablet, info)
    sealed = vault.path(info.id)
    sealed.write_bytes(sealed.read_bytes()[: len(sealed.read_bytes()) // 2])  # a power cut mid-write
    with pytest.raises(PaperDamaged):
        vault.read(info.id)
    assert open_paper(vault, tablet, info) == long_paper
