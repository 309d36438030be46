"""The one module that imports WeasyPrint: HTML in, a PDF/A-3b document out.

The output is a function of the input: the creation and modification dates come from ``created``
(the agreement version's time), the attachment's dates too, the file identifier is WeasyPrint's
digest of the objects, and font subsets are named by a digest of the subset, so the same HTML,
fonts and attachment give the same bytes on any machine with this WeasyPrint.
"""

import datetime
import io
import logging
from dataclasses import dataclass
from pathlib import Path

# WeasyPrint tells each step of its work at INFO (from its import on): a worker's log needs none.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import weasyprint  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

# Bump when the document's template or styles change what a render of the same version gives.
DOCUMENT_VERSION = 1

CSS_PX_TO_PT = 0.75  # 96 CSS pixels an inch, 72 PDF points

# The shipped font family: file name, weight, style. Nothing else is used (pdffonts lists these).
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
)


@dataclass(frozen=True)
class Written:
    pdf: bytes
    pages: int
    # The page (0-based) of the element whose id was asked for, and its box (x1, y1, x2, y2) in PDF
    # points from the page's bottom left; None when the document has no such element.
    anchor_page: int | None
    anchor_box: tuple[float, float, float, float] | None


def renderer_version() -> str:
    return f"WeasyPrint {weasyprint.__version__}; document {DOCUMENT_VERSION}"


def font_css(font_dir: Path) -> str:
    """@font-face rules for the shipped family, by file path."""
    rules = []
    for filename, weight, style in FONT_FILES:
        url = (Path(font_dir) / filename).resolve().as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _w3c(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _associated_files_once(document, pdf) -> None:
    """WeasyPrint 70 lists the attachment twice in the catalog's /AF (from the names tree and from its
    file specification): once is what PDF/A-3 means."""
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


def write_pdf(
    html: str,
    *,
    base_url: str,
    created: datetime.datetime,
    attachment: tuple[str, bytes, str],
    font_dir: Path,
    title: str,
    authors: list[str] | None = None,
    keywords: list[str] | None = None,
    subject: str = "",
    anchor: str = "",
) -> Written:
    """Renders ``html`` (its links resolved against ``base_url``) to a tagged PDF/A-3b with
    ``attachment`` (filename, content, description) embedded as an associated file (relationship
    Data). ``anchor`` names the id of an element whose position is wanted (the seal's box)."""
    fonts = FontConfiguration()
    stylesheet = weasyprint.CSS(string=font_css(font_dir), font_config=fonts)
    document = weasyprint.HTML(string=html, base_url=base_url).render(
        stylesheets=[stylesheet], font_config=fonts, pdf_tags=True
    )
    metadata = document.metadata
    metadata.title = title
    metadata.authors = list(authors or [])
    metadata.keywords = list(keywords or [])
    metadata.description = subject or None
    metadata.generator = renderer_version()
    metadata.created = metadata.modified = _w3c(created)
    when = created.astimezone(datetime.UTC).replace(tzinfo=None)
    filename, content, description = attachment
    attached = weasyprint.Attachment(
        file_obj=io.BytesIO(content),
        name=filename,
        description=description,
        created=when,
        modified=when,
        relationship="Data",
    )
    pdf = document.write_pdf(
        pdf_variant="pdf/a-3b", pdf_tags=True, attachments=[attached], finisher=_associated_files_once
    )
    anchor_page = anchor_box = None
    for number, page in enumerate(document.pages):
        if anchor and anchor in page.anchors:
            x1, y1, x2, y2 = page.anchors[anchor]  # CSS pixels from the top left
            anchor_page = number
            anchor_box = tuple(round(value * CSS_PX_TO_PT, 2) for value in (x1, page.height - y2, x2, page.height - y1))
            break
    return Written(pdf=pdf, pages=len(document.pages), anchor_page=anchor_page, anchor_box=anchor_box)
