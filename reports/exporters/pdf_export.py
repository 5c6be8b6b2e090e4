"""The report as an A4 PDF with reportlab alone: office header and logo, the same sections, tables and charts
as the HTML page (charts drawn with reportlab.graphics), and "Halaman X dari Y" on every page."""

import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ikm_registry.formatting import format_number
from reports.aggregates import DistrictReport
from reports.presentation import (
    TEXT,
    Chart,
    Section,
    build_sections,
    format_value,
    generated_label,
    headline,
    report_title,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BLUE = colors.HexColor("#1f4e79")
LIGHT = colors.HexColor("#eef3f8")
GRID = colors.HexColor("#c9d6e3")
PALETTE = [
    colors.HexColor(c) for c in ("#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#e67e22", "#c0392b", "#8e44ad", "#7f8c8d")
]


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Styles:
    def __init__(self):
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("title", parent=base["Title"], fontSize=16, leading=20, alignment=0, spaceAfter=4)
        self.h2 = ParagraphStyle("h2", parent=base["Heading2"], fontSize=12.5, textColor=BLUE, spaceBefore=10)
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5, textColor=colors.grey)
        self.headline = ParagraphStyle(
            "headline", parent=self.body, fontSize=10, leading=13.5, backColor=LIGHT, borderPadding=5, spaceAfter=8
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=10)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.caption = ParagraphStyle("caption", parent=self.body, fontName="Helvetica-Bold", spaceBefore=4)


class NumberedCanvas(canvas.Canvas):
    """Holds every page until the end, so each footer can say how many pages there are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 (reportlab's API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.grey)
            text = _("Halaman %(page)s dari %(total)s") % {"page": self._pageNumber, "total": total}
            self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, text)
            super().showPage()
        super().save()


def _header(title: str, generated: str):
    logo = Path(settings.OFFICE_LOGO) if settings.OFFICE_LOGO else None
    logo = logo if logo and logo.is_file() else None

    def draw(pdf: canvas.Canvas, doc) -> None:
        pdf.saveState()
        x = MARGIN
        top = PAGE_HEIGHT - 12 * mm
        if logo:
            pdf.drawImage(
                str(logo), MARGIN, top - 12 * mm, width=12 * mm, height=12 * mm, preserveAspectRatio=True, mask="auto"
            )
            x += 15 * mm
        pdf.setFillColor(BLUE)
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(x, top - 4 * mm, settings.OFFICE_NAME)
        pdf.setFont("Helvetica", 8)
        pdf.setFillColor(colors.black)
        pdf.drawString(x, top - 9 * mm, title)
        pdf.setStrokeColor(BLUE)
        pdf.setLineWidth(1)
        pdf.line(MARGIN, top - 14 * mm, PAGE_WIDTH - MARGIN, top - 14 * mm)
        pdf.setFont("Helvetica", 8)
        pdf.setFillColor(colors.grey)
        pdf.drawString(MARGIN, 10 * mm, generated)
        pdf.restoreState()

    return draw


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_drawing(chart: Chart) -> Drawing:
    """Horizontal bars: long region and sector names stay readable, and many bars fit a page."""
    count = len(chart.labels)
    bar_height = 11 if count <= 20 else 8
    height = count * bar_height + 30
    drawing = Drawing(CONTENT_WIDTH, height)
    bars = HorizontalBarChart()
    bars.x, bars.y = 150, 15
    bars.width, bars.height = CONTENT_WIDTH - 190, height - 25
    # Bottom-up in reportlab: reverse so the list reads top to bottom as in the tables.
    bars.data = [list(reversed(chart.values))]
    bars.categoryAxis.categoryNames = [_truncate(label, 34) for label in reversed(chart.labels)]
    bars.categoryAxis.labels.fontSize = 7 if count <= 20 else 6
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.dx = -3
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.labelTextFormat = lambda value: format_number(value)
    bars.valueAxis.forceZero = True
    top = max(chart.values) if chart.values else 0
    bars.valueAxis.valueMax = max(top * 1.15, 1)
    if top < 5:
        bars.valueAxis.valueStep = 1
    bars.bars[0].fillColor = PALETTE[0]
    bars.bars[0].strokeColor = None
    bars.barLabels.fontSize = 6.5
    bars.barLabelFormat = lambda value: format_number(value) if value else ""
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 3
    drawing.add(bars)
    return drawing


def pie_drawing(chart: Chart) -> Drawing:
    """A pie of the non-empty slices with a legend that states each count."""
    pairs = [(label, value) for label, value in zip(chart.labels, chart.values, strict=True) if value]
    drawing = Drawing(CONTENT_WIDTH, 110)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20, 10, 90, 90
    pie.data = [value for _label, value in pairs]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for index in range(len(pairs)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(pie)
    total = sum(pie.data)
    legend = Legend()
    legend.x, legend.y = 140, 95
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], f"{_truncate(label, 40)}: {format_number(value)} ({value * 100 / total:.0f}%)")
        for i, (label, value) in enumerate(pairs)
    ]
    drawing.add(legend)
    return drawing


class ChartFlowable(Flowable):
    """A chart with its title, or a line saying there is nothing to draw."""

    def __init__(self, chart: Chart, styles: Styles):
        super().__init__()
        self.chart = chart
        self.styles = styles
        if chart.is_empty:
            drawing = Drawing(CONTENT_WIDTH, 16)
            drawing.add(String(0, 4, _("Belum ada data untuk grafik ini."), fontSize=8, fillColor=colors.grey))
        else:
            drawing = pie_drawing(chart) if chart.kind == "pie" else bar_drawing(chart)
        self.drawing = drawing
        self.caption = Paragraph(_escape(chart.title), styles.caption)

    def wrap(self, available_width, available_height):
        caption_w, caption_h = self.caption.wrap(available_width, available_height)
        self._caption_h = caption_h
        self.width, self.height = self.drawing.width, self.drawing.height + caption_h + 4
        return self.width, self.height

    def draw(self):
        self.caption.drawOn(self.canv, 0, self.drawing.height + 2)
        self.drawing.drawOn(self.canv, 0, 0)


def _cell(value, kind: str, styles: Styles, bold: bool = False):
    text = _escape(format_value(value, kind) if value is not None or kind != TEXT else "")
    if bold:
        text = f"<b>{text}</b>"
    return Paragraph(text, styles.cell if kind == TEXT else styles.cell_right)


def _grid(data: list[list], widths: list[float], header: bool, footer: bool) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    if footer:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f6f8fa")))
    table.setStyle(TableStyle(style))
    return table


def section_flowables(number: int, section: Section, styles: Styles) -> list:
    heading = Paragraph(f"{number}. {_escape(section.title)}", styles.h2)
    flow: list = []
    if section.items:
        rows = [[_cell(item.label, TEXT, styles), _cell(item.value, item.kind, styles)] for item in section.items]
        flow.append(_grid(rows, [CONTENT_WIDTH * 0.7, CONTENT_WIDTH * 0.3], header=False, footer=False))
    for chart in section.charts:
        flow += [Spacer(1, 4), ChartFlowable(chart, styles)]
    for table in section.tables:
        columns = len(table.columns)
        first = CONTENT_WIDTH * (0.4 if columns > 2 else 0.7)
        rest = (CONTENT_WIDTH - first) / max(columns - 1, 1)
        data = [[_cell(c.label, TEXT if i == 0 else c.kind, styles, bold=True) for i, c in enumerate(table.columns)]]
        data += [[_cell(v, c.kind, styles) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
        if not table.rows:
            data.append([_cell(_("Tidak ada."), TEXT, styles)] + [""] * (columns - 1))
        if table.total:
            data.append([_cell(v, c.kind, styles, bold=True) for v, c in zip(table.total, table.columns, strict=True)])
        flow += [
            Paragraph(_escape(table.title), styles.caption),
            _grid(data, [first] + [rest] * (columns - 1), header=True, footer=bool(table.total)),
        ]
    for note in section.notes:
        flow.append(Paragraph(_escape(note), styles.small))
    # Keep a heading with what follows it, never alone at the foot of a page.
    return [KeepTogether([heading, flow[0]])] + flow[1:] if flow else [heading]


def render_pdf(report: DistrictReport) -> bytes:
    """An A4 PDF of the report."""
    styles = Styles()
    title = report_title(report)
    generated = generated_label(report)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=30 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=settings.OFFICE_NAME,
        subject=_("Laporan IKM"),
    )
    story: list = [
        Paragraph(_escape(title), styles.title),
        Paragraph(_escape(_("Kode wilayah %(code)s") % {"code": report.region.code}), styles.small),
        Spacer(1, 6),
        Paragraph(_escape(headline(report)), styles.headline),
    ]
    for number, section in enumerate(build_sections(report), start=1):
        story += section_flowables(number, section, styles)
    story += [
        Spacer(1, 8),
        Paragraph(
            _escape(
                _(
                    "Angka IKM, cakupan, sentra dan OVOP hanya menghitung unit terverifikasi yang aktif pada tahun "
                    "laporan. Pembinaan dan bantuan menghitung catatan kegiatan tahun anggaran tersebut."
                )
            ),
            styles.small,
        ),
    ]
    header = _header(title, generated)
    doc.build(story, onFirstPage=header, onLaterPages=header, canvasmaker=NumberedCanvas)
    return out.getvalue()
