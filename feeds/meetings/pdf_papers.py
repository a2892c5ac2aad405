"""Vietnamese PDF documents made by the program (demo papers, minutes) with fpdf2 and the bundled Noto Sans."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from importlib import resources

from fpdf import FPDF

logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every font subset at INFO


def _fonts(pdf: FPDF) -> None:
    folder = resources.files("resources") / "fonts"
    with resources.as_file(folder / "NotoSans-Regular.ttf") as regular:
        pdf.add_font("Noto", "", str(regular))
    with resources.as_file(folder / "NotoSans-Bold.ttf") as bold:
        pdf.add_font("Noto", "B", str(bold))


class Document(FPDF):
    """A4 portrait, the state's document header, page numbers as "Trang x/y"."""

    def __init__(self, issuer: str, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.issuer = issuer
        self.doc_title = title
        _fonts(self)
        self.set_title(title)
        self.set_author(issuer)
        self.set_creator("controlroom")
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font("Noto", "B", 10)
        self.cell(90, 5, self.issuer.upper(), align="C")
        self.cell(0, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Noto", "", 10)
        self.cell(90, 5, "")
        self.cell(0, 5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Noto", "", 8)
        self.cell(0, 5, f"{self.doc_title} — Trang {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.set_font("Noto", "B", 14)
        self.multi_cell(0, 7, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def section(self, text: str) -> None:
        self.set_font("Noto", "B", 11.5)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str) -> None:
        self.set_font("Noto", "", 11)
        self.multi_cell(0, 5.6, text, align="J", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        self.set_font("Noto", "B", 10)
        for text, width in zip(header, widths):
            self.cell(width, 7, text, border=1, align="C")
        self.ln()
        self.set_font("Noto", "", 10)
        for row in rows:
            for text, width in zip(row, widths):
                self.cell(width, 6.5, text, border=1)
            self.ln()
        self.ln(3)


def make_paper(issuer: str, title: str, sections: Sequence[tuple[str, str]],
               table: tuple[Sequence[str], Sequence[Sequence[str]], Sequence[float]] | None = None,
               pages: int = 1, figure: bytes | None = None) -> bytes:
    """A paper: heading, sections of text, an optional table and figure (PNG or JPEG bytes); repeated to PAGES
    pages at least (for tests and benchmarks)."""
    pdf = Document(issuer, title)
    pdf.add_page()
    pdf.heading(title)
    if figure is not None:
        pdf.image(io.BytesIO(figure), w=pdf.epw)
        pdf.ln(3)
    for number, (name, text) in enumerate(sections, 1):
        pdf.section(f"{number}. {name}")
        pdf.paragraph(text)
        if table is not None and number == 1:
            pdf.grid(*table)
    while pdf.page_no() < pages:
        pdf.add_page()
        pdf.section(f"Phụ lục {pdf.page_no() - 1}")
        for name, text in sections:
            pdf.paragraph(f"{name}. {text}")
    return bytes(pdf.output())
