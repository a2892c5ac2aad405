"""The paper viewer (QtPdf): a page at a time, swiped with a finger, thumbnails, zoom, text search, a counter.

It opens a paper from bytes in memory (the caller decrypts it or fetched it without touching the disk) and
keeps it only as long as it is shown. Every control is a button of at least TOUCH_PX."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QModelIndex, QObject, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from feeds.meetings.annotations import MarkSet
from widgets.meetings.marks_view import MarksView, Tool

TOUCH_PX = 56
SWIPE_PX = 80  # a horizontal drag longer than this turns the page
THUMB_W = 96


def _button(text: str, name: str = "viewerButton") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumSize(TOUCH_PX, TOUCH_PX)
    return button


class PaperViewer(QWidget):
    closed = Signal()
    pageShown = Signal(int)  # 0-based page now on screen
    marksChanged = Signal(object)  # the MarkSet, after each mark added or undone
    exportRequested = Signal(str)  # paper id: the member's marks as a PDF of their own
    shareToggled = Signal(bool)  # show this paper (the page on screen) in the conference, or stop

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperViewer")
        self.document = QPdfDocument(self)
        self.buffer: QBuffer | None = None
        self.view = MarksView(self)
        self.paper_id = ""
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.viewport().installEventFilter(self)
        self.search = QPdfSearchModel(self)
        self.search.setDocument(self.document)
        self.view.setSearchModel(self.search)
        self.title = QLabel()
        self.title.setObjectName("viewerTitle")
        self.counter = QLabel()
        self.counter.setObjectName("pageCounter")
        self.previous, self.next = _button("‹"), _button("›")
        self.zoom_out, self.zoom_in, self.fit = _button("−"), _button("+"), _button(self.tr("Fit"))
        self.thumbs_button = _button(self.tr("Pages"))
        self.close_button = _button(self.tr("Close"))
        self.share_button = _button(self.tr("Show in the conference"))
        self.share_button.setCheckable(True)
        self.share_button.toggled.connect(self.shareToggled.emit)
        self.share_button.hide()  # shown where the terminal has a conference page
        self._page_image: tuple[tuple[int, str, int, int], QImage] | None = None
        self.find = QLineEdit()
        self.find.setPlaceholderText(self.tr("Find in the paper"))
        self.find.setMinimumHeight(TOUCH_PX)
        self.find_button = _button(self.tr("Find"))
        self.found = QLabel()
        self.found.setObjectName("target")
        top = QHBoxLayout()
        top.addWidget(self.close_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.share_button)
        for widget in (self.find, self.find_button, self.found):
            top.addWidget(widget)
        bottom = QHBoxLayout()
        for widget in (self.thumbs_button, self.previous, self.counter, self.next, self.zoom_out, self.fit,
                       self.zoom_in):
            bottom.addWidget(widget)
        bottom.insertStretch(1, 1)
        bottom.insertStretch(5, 1)
        self.tools: dict[Tool, QPushButton] = {}
        for tool, text in ((Tool.READ, self.tr("Read")), (Tool.INK, self.tr("Pen")),
                           (Tool.HIGHLIGHT, self.tr("Highlight")), (Tool.NOTE, self.tr("Note"))):
            button = _button(text)
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.clicked.connect(lambda _=False, t=tool: self.set_tool(t))
            self.tools[tool] = button
        self.tools[Tool.READ].setChecked(True)
        self.undo_button = _button(self.tr("Undo"))
        self.undo_button.clicked.connect(self.view.undo)
        self.export_button = _button(self.tr("Export my notes"))
        self.export_button.clicked.connect(lambda: self.exportRequested.emit(self.paper_id))
        tools = QHBoxLayout()
        for widget in (*self.tools.values(), self.undo_button, self.export_button):
            tools.addWidget(widget)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("Your note (only you see it)"))
        self.note_edit.setMinimumHeight(TOUCH_PX)
        self.note_save = _button(self.tr("Save the note"))
        self.note_edit.hide()
        self.note_save.hide()
        tools.addWidget(self.note_edit, 1)
        tools.addWidget(self.note_save)
        tools.addStretch(1)
        self.page_notes = QLabel()
        self.page_notes.setObjectName("pageNotes")
        self.page_notes.setWordWrap(True)
        self._note_at: tuple[int, float, float] | None = None
        self.view.noteRequested.connect(self._ask_note)
        self.note_save.clicked.connect(self._save_note)
        self.view.marksChanged.connect(self._marks_changed)
        self.thumbnails = QListWidget()
        self.thumbnails.setObjectName("thumbnails")
        self.thumbnails.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbnails.setFlow(QListWidget.Flow.TopToBottom)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setIconSize(QSize(THUMB_W, int(THUMB_W * 1.42)))
        self.thumbnails.setFixedWidth(THUMB_W + 40)
        self.thumbnails.hide()
        middle = QHBoxLayout()
        middle.addWidget(self.thumbnails)
        middle.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addLayout(middle, 1)
        layout.addWidget(self.page_notes)
        layout.addLayout(bottom)
        self.previous.clicked.connect(lambda: self.go(self.page() - 1))
        self.next.clicked.connect(lambda: self.go(self.page() + 1))
        self.zoom_in.clicked.connect(lambda: self._zoom(1.25))
        self.zoom_out.clicked.connect(lambda: self._zoom(0.8))
        self.fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.thumbs_button.clicked.connect(lambda: self.thumbnails.setVisible(not self.thumbnails.isVisible()))
        self.thumbnails.itemClicked.connect(lambda item: self.go(int(item.data(Qt.ItemDataRole.UserRole))))
        self.close_button.clicked.connect(self.close_paper)
        self.find_button.clicked.connect(self._find_next)
        self.find.returnPressed.connect(self._find_next)
        self.search.rowsInserted.connect(self._count_found)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self._thumb_next = 0
        self._thumb_timer = QTimer(self)
        self._thumb_timer.setInterval(15)
        self._thumb_timer.timeout.connect(self._render_thumbnails)
        self._press: QPointF | None = None

    # opening and closing ---------------------------------------------------------------------------------------
    def open_bytes(self, title: str, data: bytes, paper_id: str = "", marks: MarkSet | None = None,
                   can_annotate: bool = False) -> bool:
        """Show the PDF in DATA with the member's MARKS over it; False (and a message) when it cannot be read."""
        self.close_document()
        self.paper_id = paper_id
        self.view.marks = marks or MarkSet(paper_id)
        self.set_tool(Tool.READ)
        for widget in (*self.tools.values(), self.undo_button, self.export_button):
            widget.setVisible(can_annotate)
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            self.title.setText(self.tr("The paper cannot be shown: it is not a readable PDF"))
            return False
        self.title.setText(title)
        self.thumbnails.clear()
        for page in range(self.document.pageCount()):
            item = QListWidgetItem(str(page + 1))
            item.setData(Qt.ItemDataRole.UserRole, page)
            item.setSizeHint(QSize(THUMB_W + 16, int(THUMB_W * 1.42) + 28))
            self.thumbnails.addItem(item)
        self._thumb_next = 0
        self._thumb_timer.start()
        self.go(0)
        return True

    def close_document(self) -> None:
        self._thumb_timer.stop()
        self.search.setSearchString("")
        self.document.close()
        if self.buffer is not None:
            self.buffer.close()
            self.buffer.setData(QByteArray())  # the plaintext goes with the paper
            self.buffer.deleteLater()
            self.buffer = None
        self.thumbnails.clear()

    def close_paper(self) -> None:
        self.close_document()
        self.closed.emit()

    # pages -----------------------------------------------------------------------------------------------------
    def page(self) -> int:
        return int(self.view.pageNavigator().currentPage())

    def page_image(self, width: int = 1280) -> QImage:
        """The page on screen rendered WIDTH wide (what the conference shows of it)."""
        key = (id(self.document), self.title.text(), self.page(), width)
        if self._page_image is not None and self._page_image[0] == key:
            return self._page_image[1]  # the same page: rendered once
        size = self.document.pagePointSize(self.page())
        if size.width() <= 0:
            return QImage()
        target = QSize(width, int(width * size.height() / size.width()))
        page = QImage(target, QImage.Format.Format_RGB32)
        page.fill(QColor("white"))  # PDFium draws on a transparent page: put it on paper
        painter = QPainter(page)
        painter.drawImage(0, 0, self.document.render(self.page(), target))
        painter.end()
        self._page_image = (key, page)
        return page

    def pages(self) -> int:
        return int(self.document.pageCount())

    def go(self, page: int) -> None:
        if self.pages() == 0:
            return
        page = max(0, min(self.pages() - 1, page))
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._page_changed(page)

    def set_tool(self, tool: Tool) -> None:
        self.view.tool = tool
        self.tools[tool].setChecked(True)
        self._note_at = None
        self.note_edit.hide()
        self.note_save.hide()

    def _ask_note(self, page: int, x: float, y: float) -> None:
        self._note_at = (page, x, y)
        self.note_edit.clear()
        self.note_edit.show()
        self.note_save.show()
        self.note_edit.setFocus()

    def _save_note(self) -> None:
        text = self.note_edit.text().strip()
        if self._note_at is not None and text:
            self.view.add_note(*self._note_at, text)
        self._note_at = None
        self.note_edit.hide()
        self.note_save.hide()

    def _marks_changed(self) -> None:
        self._show_page_notes(self.page())
        self.marksChanged.emit(self.view.marks)

    def _show_page_notes(self, page: int) -> None:
        notes = [m.text for m in self.view.marks.on_page(page) if m.kind == "note"]
        self.page_notes.setText(self.tr("My notes on this page: %1").replace("%1", " · ".join(notes)) if notes else "")

    def _page_changed(self, page: int) -> None:
        self._show_page_notes(page)
        self.counter.setText(self.tr("Page %1 of %2").replace("%1", str(page + 1)).replace("%2", str(self.pages())))
        self.previous.setEnabled(page > 0)
        self.next.setEnabled(page < self.pages() - 1)
        self.pageShown.emit(page)

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(6.0, current * factor)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A finger's horizontal swipe turns the page (when the page fits: zoomed in, a drag pans instead)."""
        if (watched is self.view.viewport() and self.view.tool is Tool.READ
                and self.view.zoomMode() == QPdfView.ZoomMode.FitInView):
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press = event.position()
            elif event.type() == QEvent.Type.MouseButtonRelease and self._press is not None:
                delta = event.position() - self._press
                self._press = None
                if abs(delta.x()) > SWIPE_PX and abs(delta.x()) > 2 * abs(delta.y()):
                    self.go(self.page() + (1 if delta.x() < 0 else -1))
                    return True
        return super().eventFilter(watched, event)

    def _render_thumbnails(self) -> None:
        """A few thumbnails per timer tick, so a 300-page paper never holds the screen."""
        size = QSize(THUMB_W, int(THUMB_W * 1.42))
        for _ in range(4):
            if self._thumb_next >= self.thumbnails.count():
                self._thumb_timer.stop()
                return
            image = self.document.render(self._thumb_next, size)
            self.thumbnails.item(self._thumb_next).setIcon(QIcon(QPixmap.fromImage(image)))
            self._thumb_next += 1

    # search ----------------------------------------------------------------------------------------------------
    def results(self) -> int:
        return int(self.search.rowCount(QModelIndex()))

    def _find_next(self) -> None:
        text = self.find.text().strip()
        if text != self.search.searchString():
            self.search.setSearchString(text)
            self.view.setCurrentSearchResultIndex(-1)
            self.found.setText(self.tr("searching…") if text else "")
            return
        count = self.results()
        if not count:
            return
        index = (self.view.currentSearchResultIndex() + 1) % count
        self.view.setCurrentSearchResultIndex(index)
        self.go(self.search.resultAtIndex(index).page())
        self.found.setText(self.tr("%1 of %2").replace("%1", str(index + 1)).replace("%2", str(count)))

    def _count_found(self) -> None:
        count = self.results()
        self.found.setText(self.tr("%1 found").replace("%1", str(count)))
        if self.view.currentSearchResultIndex() < 0 and count:
            self.view.setCurrentSearchResultIndex(0)
            self.go(self.search.resultAtIndex(0).page())
