"""The agreement as a printed document: its HTML (for the PDF and the on-screen print view), and the
PDF rendered from it. Pure functions of the agreement's state in the database: the same version
renders to the same bytes. WeasyPrint itself is only in ``pdfs.weasy``.
"""

import datetime
from dataclasses import dataclass


class RenderError(Exception):
    """A render that cannot succeed however often it is tried (a template error, a missing font):
    the message says why, in words for the user who asked for the PDF."""


@dataclass(frozen=True)
class Version:
    """The state of an agreement a document shows: ``number`` counts the agreement's recorded
    changes (its audit entries), ``stamp`` is the id of the newest (``Agreement.change_stamp``) and
    ``at`` its time, which is the document's date."""

    number: int
    stamp: int | None
    at: datetime.datetime


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    version: Version
    edition: int
    language: str
    text_sha256: str
    renderer: str  # e.g. "WeasyPrint 70.0, document 1"
    # Where a seal goes: the signature page (0-based) and a box on it in PDF points, origin bottom left.
    seal_page: int
    seal_box: tuple[float, float, float, float]
