"""The kinds of agreement, and the places where a kind plugs into the one agreement machinery.

Every agreement, whatever its kind, is the same document with the same versions, comments,
workflow, decisions, signatures and permissions. A kind adds what is its own, and only through the
hooks of ``AgreementKind``: the sections it starts from, structured parts shown on its sections'
pages, which permissions each role of a party's organisation holds, who organises it, the checks made
before it is submitted for approval, the steps of that approval, its structured terms in the
canonical text (and so in the hash that freezing records), the tables frozen with its text, and
how an edition and a bundle carry those terms. The strategic and interface agreements are declared
here; an app declares another kind in its ``AppConfig.ready()`` with ``register``. This module never
names a kind it does not declare.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agreements.template import SECTIONS, SectionTemplate

if TYPE_CHECKING:  # pragma: no cover
    from agreements.models import Agreement, Party
    from regions.models import Organisation


@dataclass(frozen=True)
class Part:
    """A structured part: the rows a section of ``section_kind`` shows beside (or instead of) its text.

    ``context(agreement)`` returns what ``template`` shows, in a fixed number of queries; it is
    rendered into the section's cached body, so it may not depend on who is looking (the template
    gets ``can_edit`` like the rest of the body).
    """

    section_kind: str
    label: Promise
    template: str
    context: Callable[["Agreement"], dict]
    text_too: bool = True  # whether the section also has text of its own, edited as any section's
    # Whether the section's body may be cached: not when the part shows what changes outside the
    # agreement's own rows (its change stamp does not see them) or with the day.
    cacheable: bool = True
    # --- The printed document (pdfs.document): the part as the PDF and the print view show it ---
    # (a template given ``part`` (this context) and ``level``, its first heading's level); "": the
    # document shows the section's text only.
    print_template: str = ""
    # --- end of the printed document ---


@dataclass(frozen=True)
class ApprovalStep:
    """One approval before the text is frozen, given by the people of one party (``organisation_kind``).

    The steps are taken in order; a return at any step sends the agreement back to its drafters.
    Who may approve is ``agreements.permissions.can_approve``: the ``approve_agreement`` permission
    (granted by the kind's party permissions) and speaking for a party of that kind.
    """

    key: str
    label: Promise
    organisation_kind: str


@dataclass(frozen=True)
class Check:
    """One rule an agreement must meet before it is submitted: ``problem`` None when it is met."""

    key: str
    label: str | Promise
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


PartyPermissions = Callable[["Agreement", "Organisation"], dict[str, tuple[str, ...]]]


@dataclass(frozen=True)
class AgreementKind:
    key: str
    label: Promise
    sections: tuple[SectionTemplate, ...]
    parts: tuple[Part, ...] = ()
    # What each role of a party's organisation may do with the agreement (role -> permissions);
    # None: ``permissions.PARTY_PERMISSIONS_BY_ROLE`` for every party.
    party_permissions: PartyPermissions | None = None
    # Who manages it (runs its workflow, manages its parties): (organisation, role) pairs; None: the
    # organising county's coordinators.
    organisers: Callable[["Agreement"], list[tuple["Organisation", str]]] | None = None
    # The rules checked before submission for approval (shown on the agreement while it is open).
    checks: Callable[["Agreement"], list[Check]] | None = None
    approval_steps: tuple[ApprovalStep, ...] = ()
    # The kind's structured terms as data for the canonical text; None: the kind has none.
    canonical: Callable[["Agreement"], dict] | None = None
    # Tables of the kind's terms ("app_label.Model"), frozen with the text by the database.
    text_models: tuple[str, ...] = ()
    # Copies the kind's terms from a frozen edition to its new draft; parties map old id -> new Party.
    copy_edition: Callable[["Agreement", "Agreement", dict[int, "Party"]], None] | None = None
    # The kind's terms in the agreement bundle (each edition's "terms"): export(agreement, party_ref)
    # -> JSON data, parties by their bundle ref; import(agreement, data, parties, at) writes them into
    # the draft being imported, before its organisers are granted (parties: ref -> Party; at names
    # the place for a ``BundleError``; data is None from a bundle without them).
    bundle_export: Callable[["Agreement", Callable[["Party"], int]], Any] | None = None
    bundle_import: Callable[["Agreement", Any, dict[int, "Party"], str], None] | None = None
    # The bodies that decide it (``Decision.Body`` values); empty: any body.
    decision_bodies: tuple[str, ...] = ()

    @property
    def is_approved_before_freezing(self) -> bool:
        return bool(self.approval_steps)

    def section(self, key: str) -> SectionTemplate | None:
        return next((s for s in self.sections if s.key == key), None)

    def part(self, section_kind: str) -> Part | None:
        return next((p for p in self.parts if p.section_kind == section_kind), None)

    def section_cacheable(self, key: str) -> bool:
        """Whether the body of the section numbered ``key`` (as the template made it) may be cached."""
        template = self.section(key)
        part = self.part(template.kind) if template else None
        return part is None or part.cacheable


_KINDS: dict[str, AgreementKind] = {}


def register(kind: AgreementKind) -> AgreementKind:
    """Declares a kind (again, when ``ready()`` runs twice in tests: the later one counts)."""
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> AgreementKind:
    """The kind ``key``; an unknown key (a kind whose app is gone) reads as a strategic agreement's."""
    return _KINDS.get(key) or _KINDS["strategic"]


def of(agreement: "Agreement") -> AgreementKind:
    return get(agreement.kind)


def all_kinds() -> list[AgreementKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, Promise]]:
    """``Agreement.kind``'s choices: every declared kind (a callable, so apps may add theirs)."""
    return [(kind.key, kind.label) for kind in _KINDS.values()]


BUILTIN_SECTION_KINDS = (
    ("text", _("Text")),
    ("parties", _("List of parties")),
    ("goals", _("Goal table")),
    ("forums", _("Forums")),
    ("signatures", _("Signatures")),
    ("annexes", _("Annexes")),
)


def section_kind_choices() -> list[tuple[str, Promise]]:
    """``Section.kind``'s choices: the built-in ones and every kind's structured parts."""
    choices = list(BUILTIN_SECTION_KINDS)
    known = {key for key, _label in choices}
    for kind in _KINDS.values():
        for part in kind.parts:
            if part.section_kind not in known:
                known.add(part.section_kind)
                choices.append((part.section_kind, part.label))
    return choices


def checks_of(agreement: "Agreement") -> list[Check]:
    kind = of(agreement)
    return kind.checks(agreement) if kind.checks else []


register(AgreementKind(key="strategic", label=_("Strategic cooperation agreement"), sections=SECTIONS))
register(AgreementKind(key="interface", label=_("Interface agreement"), sections=SECTIONS))
