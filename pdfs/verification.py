"""Is this file the genuine signed agreement? The answer for the verification page and
``manage.py verify_pdf``: the file's SHA-256 is looked up among the stored final PDFs, and its seal
is validated (``pdfs.seal.validate``). Nothing about the file is stored."""

import datetime
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pdfs.models import Rendition

if TYPE_CHECKING:
    from agreements.models import Agreement
    from pdfs.seal import SealCheck


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    rendition: Rendition | None
    agreement: "Agreement | None"
    edition: int | None
    sealed_at: datetime.datetime | None
    seal: "SealCheck"
    message: str  # in the active language
    sha256: str = ""
    in_register: bool = False  # whether the public register shows the agreement (signed, not yet in force: not)


def verify(content: bytes) -> Verdict:
    """Genuine when the file is byte for byte a stored final PDF and its seal is valid (made with
    the portal's seal and unchanged since). The message says which agreement, edition and time,
    or why not."""
    from pdfs.seal import validate  # pyHanko is loaded where a file is checked, not in every process

    sha256 = hashlib.sha256(content).hexdigest()
    rendition = (
        Rendition.objects.select_related("agreement")
        .filter(purpose=Rendition.Purpose.FINAL, status=Rendition.Status.DONE, sha256=sha256)
        .first()
    )
    # A stored PDF is checked as of when it was sealed: its certificate may have expired since.
    seal = validate(content, at=rendition.sealed_at if rendition is not None else None)
    if rendition is not None and seal.valid:
        sealed_at = rendition.sealed_at or seal.signed_at
        agreement = rendition.agreement
        edition = rendition.edition or agreement.edition
        message = _(
            "This is the genuine signed agreement “%(title)s”, edition %(edition)s, sealed on %(when)s (Helsinki time)."
        ) % {"title": agreement.title, "edition": edition, "when": _when(sealed_at)}
        from agreements.permissions import public_agreements

        shown = public_agreements().filter(pk=agreement.pk).exists()
        return Verdict(True, rendition, agreement, edition, sealed_at, seal, message, sha256, in_register=shown)
    return Verdict(False, rendition, None, None, None, seal, _not_genuine(rendition, seal), sha256)


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return "–"
    from pdfs.seal import stamp_time

    day, time = stamp_time(moment).split(" ")
    return _("%(day)s at %(time)s") % {"day": day, "time": time}


def _not_genuine(rendition: Rendition | None, seal: "SealCheck") -> str:
    if not seal.checked:
        return seal.problem or ""
    lead = _("This is not the genuine signed agreement.")
    if not seal.sealed:
        reason = _("%(problem)s It is not a PDF made by the portal.") % {"problem": seal.problem}
    elif not seal.intact:
        reason = _("The seal is broken: the file was changed after it was sealed.")
    elif not seal.ours:
        reason = seal.problem
    elif not seal.valid or (rendition is not None):
        reason = seal.problem or _("Its seal is not valid.")
    elif not seal.covers_whole_file:
        reason = seal.problem
    else:
        reason = _("The portal has stored no signed agreement with exactly this content.")
    return f"{lead} {reason}"
