"""The agreement as a printed document: its HTML (for the PDF and the on-screen print view), and the
PDF rendered from it. Pure functions of the agreement's state in the database: the same version
renders to the same bytes. WeasyPrint itself is only in ``pdfs.weasy``.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Window
from django.template import Engine, TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import kinds
from agreements.models import Agreement, Decision, Party, Section, Signatory, Signature
from agreements.selectors import forums_of, goals_of
from audit.models import AuditEntry
from pdfs.data import FILENAME as ATTACHMENT_NAME
from pdfs.data import attached_json


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


# --- the document (helper "document") ---

SEAL_ANCHOR = "seal-box"
HELSINKI = ZoneInfo("Europe/Helsinki")
_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)
TEMPLATE = "pdfs/document.html"


def agreement_version(agreement: Agreement) -> Version:
    """The agreement's state by its audit log, in one query: the number of entries, the newest's id
    and time (the agreement's last change when it has none)."""
    row = (
        AuditEntry.objects.filter(agreement_id=agreement.pk)
        .annotate(total=Window(Count("id")))
        .order_by("-id")
        .values_list("id", "at", "total")
        .first()
    )
    if row is None:
        return Version(number=0, stamp=None, at=agreement.updated_at)
    stamp, at, total = row
    return Version(number=total, stamp=stamp, at=at)


@dataclass(frozen=True)
class SignatoryLine:
    signatory: Signatory
    signature: Signature | None

    @property
    def signed_on(self) -> datetime.date | None:
        return timezone.localtime(self.signature.signed_at, HELSINKI).date() if self.signature else None


@dataclass(frozen=True)
class PartyBlock:
    """One party on the signature pages: its newest decision and its signatories."""

    party: Party
    decision: Decision | None
    signatories: list[SignatoryLine]


@dataclass(frozen=True)
class DocSection:
    section: Section
    level: int  # the heading's level: 2 for 1, 3 for 3.2, …
    part_template: str
    part: dict | None

    @property
    def anchor(self) -> str:
        return "s-" + self.section.key.replace(".", "-")

    @property
    def sub_level(self) -> int:
        return min(self.level + 1, 6)

    @property
    def text(self) -> str:
        """The section's sanitised text with its headings (h2, h3 …) below the section's own, so
        the document's headings stay in order."""
        shift = self.level - 1
        return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", self.section.text)


def _parties(agreement: Agreement) -> list[Party]:
    signatories = Signatory.objects.select_related("signature").order_by("position", "pk")
    return list(
        agreement.parties.select_related("organisation")
        .order_by("position", "official_name", "pk")
        .prefetch_related(
            Prefetch("signatories", queryset=signatories),
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on", "-pk")),
        )
    )


def _signature_of(signatory: Signatory) -> Signature | None:
    try:
        return signatory.signature
    except Signature.DoesNotExist:
        return None


def document_context(agreement: Agreement, *, final: bool = False) -> dict:
    """Everything the document shows, in a fixed number of queries whatever the number of parties,
    goals, sections and versions (a kind's parts add their own fixed number)."""
    version = agreement_version(agreement)
    # A kind's part that shows what holds on a day shows the version's day (tym.parts: the members).
    agreement.shown_on = timezone.localtime(version.at, HELSINKI).date()
    kind = kinds.of(agreement)
    parties = _parties(agreement)
    blocks = [
        PartyBlock(
            party=party,
            decision=next(iter(party.decisions.all()), None),
            signatories=[SignatoryLine(s, _signature_of(s)) for s in party.signatories.all()],
        )
        for party in parties
    ]
    contexts: dict[object, dict] = {}  # a kind's parts share a context function: read it once
    sections = []
    for section in agreement.sections.order_by("position"):
        part = kind.part(section.kind)
        context = None
        if part is not None and part.print_template:
            if part.context not in contexts:
                contexts[part.context] = part.context(agreement)
            context = contexts[part.context]
        sections.append(
            DocSection(
                section=section,
                level=min(section.depth + 2, 6),
                part_template=part.print_template if part and context is not None else "",
                part=context,
            )
        )
    kinds_present = {s.section.kind for s in sections}
    return {
        "agreement": agreement,
        "kind_label": kind.label,
        "county": agreement.county,
        "version": version,
        "dated": timezone.localtime(version.at, HELSINKI).date(),
        "final": final,
        "draft": agreement.signed_at is None,
        "parties": parties,
        "blocks": blocks,
        "sections": sections,
        "goals": goals_of(agreement) if "goals" in kinds_present else [],
        "forums": forums_of(agreement) if "forums" in kinds_present else [],
        "annexes": list(agreement.annexes.order_by("uploaded_at", "pk")) if "annexes" in kinds_present else [],
        "has_signature_section": "signatures" in kinds_present,
    }


def _html(agreement: Agreement, *, final: bool, screen: bool, back: str = "") -> tuple[str, dict]:
    """The HTML and its context, in the agreement's language."""
    with translation.override(agreement.language):
        context = document_context(agreement, final=final)
        context["screen"] = screen
        context["back"] = back
        context["stylesheet"] = (Path(settings.BASE_DIR) / "static" / "css" / "pdf.css").resolve().as_uri()
        return render_to_string(TEMPLATE, context), context


def document_html(agreement: Agreement, *, final: bool = False, screen: bool = False, back: str = "") -> str:
    """The document as HTML in the agreement's language: for the PDF (``screen`` False: the style
    sheet by file path) or for the print view (the style sheet through the static files, and a
    header with the way ``back`` to the agreement's page)."""
    return _html(agreement, final=final, screen=screen, back=back)[0]


def _template_error(error: Exception) -> str:
    """Where the document's template went wrong, in words: the template, the line and the error."""
    info = getattr(error, "template_debug", None)
    if info is None:
        # Template errors carry their place only when the engine debugs: load the template again so.
        engine = engines["django"].engine
        debugging = Engine(
            dirs=engine.dirs,
            app_dirs=engine.app_dirs,
            context_processors=engine.context_processors,
            debug=True,
            libraries=engine.libraries,
            string_if_invalid=engine.string_if_invalid,
            file_charset=engine.file_charset,
        )
        try:
            debugging.get_template(TEMPLATE)
        except TemplateSyntaxError as again:
            info = getattr(again, "template_debug", None)
        except Exception:  # noqa: BLE001  the first error is the one reported
            info = None
    if info:
        return _("The document's template %(name)s has an error on line %(line)s: %(message)s") % {
            "name": info["name"],
            "line": info["line"],
            "message": info["message"],
        }
    return _("The document's template could not be rendered: %(message)s") % {"message": error}


def _weasy():
    """``pdfs.weasy``, loaded where a render runs, not in the web processes; ``RenderError`` when
    WeasyPrint cannot load its system libraries (Pango)."""
    try:
        from pdfs import weasy
    except OSError as error:
        raise RenderError(
            _("WeasyPrint cannot start: %(error)s (it needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
            % {"error": error}
        ) from error
    return weasy


def check_fonts() -> Path:
    """The font folder, once every shipped font file is found in it (else ``RenderError``)."""
    weasy = _weasy()

    font_dir = Path(settings.PDF_FONT_DIR)
    for filename, _weight, _style in weasy.FONT_FILES:
        if not (font_dir / filename).is_file():
            raise RenderError(
                _("The font file %(file)s is missing (PDF_FONT_DIR is %(dir)s).") % {"file": filename, "dir": font_dir}
            )
    return font_dir


def renderer_version() -> str:
    return _weasy().renderer_version()


def render(agreement: Agreement, *, final: bool = False) -> Rendered:
    """The agreement as a PDF/A-3b document in its own language, with its structured data attached
    (``final``: the signed agreement, without the watermark). ``RenderError`` when it
    cannot be rendered however often it is tried (a missing font, a template error)."""
    weasy = _weasy()
    font_dir = check_fonts()
    try:
        html, context = _html(agreement, final=final, screen=False)
    except (TemplateSyntaxError, TemplateDoesNotExist) as error:
        raise RenderError(_template_error(error)) from error
    version = context["version"]
    with translation.override(agreement.language):
        facts = [
            str(context["kind_label"]),
            agreement.county.name,
            f"{_('Edition')} {agreement.edition}",
            f"{_('Version')} {version.number}",
        ]
        description = _("The agreement's structured data (export_agreement JSON)")
    attachment = (ATTACHMENT_NAME, attached_json(agreement), str(description))
    written = weasy.write_pdf(
        html,
        base_url=Path(settings.BASE_DIR).resolve().as_uri() + "/",
        created=version.at,
        attachment=attachment,
        font_dir=font_dir,
        title=agreement.title,
        authors=[p.official_name for p in context["parties"]],
        keywords=facts,
        subject=", ".join(facts),
        anchor=SEAL_ANCHOR,
    )
    if written.anchor_box is None:  # pragma: no cover  the template always reserves the box
        raise RenderError(_("The document has no place for the seal."))
    return Rendered(
        pdf=written.pdf,
        pages=written.pages,
        version=version,
        edition=agreement.edition,
        language=agreement.language,
        text_sha256=agreement.text_sha256,
        renderer=weasy.renderer_version(),
        seal_page=written.anchor_page,
        seal_box=written.anchor_box,
    )


# --- end of the document ---
