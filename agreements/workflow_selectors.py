"""Reads of an agreement's editions and workflow, with visibility applied: the list of editions, the
section-by-section difference between two, and what the workflow panel shows."""

from dataclasses import dataclass, field

from django.db.models import Q

from agreements.canonical import document
from agreements.diff import Piece, text_diff
from agreements.models import Agreement, ChangeProposal, Comment
from agreements.permissions import UserLike, visible_agreement_ids


def editions_of(agreement: Agreement, *, user: UserLike) -> list[Agreement]:
    """Every edition of ``agreement``'s series that ``user`` may see, the first first (one query)."""
    series = agreement.series_id_or_own
    return list(
        Agreement.objects.filter(Q(pk=series) | Q(series_id=series), pk__in=visible_agreement_ids(user)).order_by(
            "edition"
        )
    )


def change_proposals_of(agreement: Agreement) -> list[ChangeProposal]:
    return list(
        ChangeProposal.objects.filter(decision__party__agreement=agreement)
        .select_related("decision__party", "resolved_by", "new_edition")
        .order_by("pk")
    )


def open_thread_count(agreement: Agreement) -> int:
    """Discussions of the agreement that nobody has resolved."""
    return Comment.objects.filter(section__agreement=agreement, parent__isnull=True, resolved_at__isnull=True).count()


@dataclass(frozen=True)
class SectionChange:
    key: str
    title: str
    change: str  # "added", "removed", "changed" or "same"
    old_title: str = ""
    diff: list[list[Piece]] = field(default_factory=list)


@dataclass(frozen=True)
class EditionDiff:
    old: Agreement
    new: Agreement
    sections: list[SectionChange]
    goals_added: list[str]
    goals_removed: list[str]
    goals_changed: list[str]
    parties_added: list[str]
    parties_removed: list[str]

    @property
    def changed_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if s.change != "same"]


def _names_added(old: list[str], new: list[str]) -> list[str]:
    return [name for name in new if name not in set(old)]


def edition_diff(old: Agreement, new: Agreement) -> EditionDiff:
    """What changed from ``old`` to ``new``: each section's text word by word (sections matched by
    number), goals by title (added, removed, changed in any part), parties by official name."""
    before, after = document(old), document(new)
    old_sections = {s["key"]: s for s in before["sections"]}
    new_keys = {s["key"] for s in after["sections"]}
    sections = []
    for s in after["sections"]:
        was = old_sections.get(s["key"])
        if was is None:
            sections.append(SectionChange(s["key"], s["title"], "added", diff=text_diff("", s["text"])))
        elif was == s:
            sections.append(SectionChange(s["key"], s["title"], "same"))
        else:
            sections.append(
                SectionChange(
                    s["key"], s["title"], "changed", old_title=was["title"], diff=text_diff(was["text"], s["text"])
                )
            )
    sections += [
        SectionChange(s["key"], s["title"], "removed", diff=text_diff(s["text"], ""))
        for s in before["sections"]
        if s["key"] not in new_keys
    ]
    old_goals = {g["title"]: g for g in before["goals"]}
    new_goals = {g["title"]: g for g in after["goals"]}
    old_parties = [p["official_name"] for p in before["parties"]]
    new_parties = [p["official_name"] for p in after["parties"]]
    return EditionDiff(
        old=old,
        new=new,
        sections=sections,
        goals_added=_names_added(list(old_goals), list(new_goals)),
        goals_removed=_names_added(list(new_goals), list(old_goals)),
        goals_changed=[t for t, g in new_goals.items() if t in old_goals and old_goals[t] != g],
        parties_added=_names_added(old_parties, new_parties),
        parties_removed=_names_added(new_parties, old_parties),
    )
