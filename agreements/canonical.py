"""The agreement's text as one canonical document, and its SHA-256: what freezing records.

Every part of the text that the parties decide on and sign goes in: the agreement's own terms
(title, kind, language, validity, entry-into-force rule), every section (number, title, kind,
sanitised text), every goal with its measures, indicators and responsible parties, every forum with
its seats, every annex (title and the SHA-256 of its file) and the parties (official name, business
ID). Database ids, edition numbers, times and people do not, so an edition copied from a frozen one
hashes the same until someone changes its text. Parties are named as the text names them, by
official name. The serialisation is JSON with sorted keys, no insignificant whitespace and UTF-8,
and ``FORMAT`` names its version: a change of what goes in is a new format, never a silent one.
"""

import hashlib
import json

from django.db.models import Prefetch

from agreements.models import Agreement, ForumSeat, Goal, Indicator, Measure, Party

FORMAT = 1


def _party_names(parties) -> list[str]:
    return [p.official_name for p in parties]


def document(agreement: Agreement) -> dict:
    """The canonical text as data (what ``canonical_text`` serialises); the editions' diff reads it too."""
    parties = list(agreement.parties.order_by("position", "official_name", "pk"))
    measures = Measure.objects.select_related("lead_party").prefetch_related(
        Prefetch("co_parties", queryset=Party.objects.order_by("position", "official_name", "pk"))
    )
    goals = agreement.goals.order_by("position", "pk").prefetch_related(
        Prefetch("measures", queryset=measures.order_by("position", "pk")),
        "indicators",
        Prefetch("responsible_parties", queryset=Party.objects.order_by("position", "official_name", "pk")),
    )
    seats = ForumSeat.objects.select_related("party").order_by("party__position", "party__official_name", "pk")
    forums = (
        agreement.forums.order_by("position", "pk")
        .select_related("chair")
        .prefetch_related(Prefetch("seats", queryset=seats))
    )
    from agreements import kinds

    kind = kinds.of(agreement)
    # A kind's structured terms (staff tables, cost splits) go in under "terms"; the built-in
    # kinds have none, so their documents, and the hashes of agreements already frozen, are unchanged.
    terms = {"terms": kind.canonical(agreement)} if kind.canonical else {}
    return {
        "format": FORMAT,
        **terms,
        "agreement": {
            "title": agreement.title,
            "kind": agreement.kind,
            "language": agreement.language,
            "main_theme": agreement.main_theme,
            "themes": list(agreement.themes),
            "valid_from": agreement.valid_from.isoformat(),
            "valid_until": agreement.valid_until.isoformat(),
            "entry_rule": agreement.entry_rule,
            "entry_quorum": agreement.entry_quorum,
            "notice_months": agreement.notice_months,
            "review_due": agreement.review_due.isoformat() if agreement.review_due else None,
        },
        "parties": [{"official_name": p.official_name, "business_id": p.business_id} for p in parties],
        "sections": [
            {"key": s.key, "title": s.title, "kind": s.kind, "text": s.text}
            for s in agreement.sections.order_by("position", "pk")
        ],
        "goals": [_goal(goal) for goal in goals],
        "forums": [
            {
                "name": f.name,
                "level": f.level,
                "chair": f.chair.official_name if f.chair else None,
                "meeting_frequency": f.meeting_frequency,
                "seats": [{"party": s.party.official_name, "seats": s.seats} for s in f.seats.all()],
            }
            for f in forums
        ],
        "annexes": [{"title": a.title, "sha256": a.sha256} for a in agreement.annexes.order_by("uploaded_at", "pk")],
    }


def _goal(goal: Goal) -> dict:
    def value(v):
        return None if v is None else str(v)

    return {
        "title": goal.title,
        "theme": goal.theme,
        "description": goal.description,
        "responsible_parties": _party_names(goal.responsible_parties.all()),
        "measures": [
            {
                "description": m.description,
                "lead_party": m.lead_party.official_name if m.lead_party else None,
                "co_parties": _party_names(m.co_parties.all()),
                "schedule": m.schedule,
            }
            for m in goal.measures.all()
        ],
        "indicators": [
            {name: value(getattr(i, name)) for name in Indicator.EDITABLE_FIELDS}
            for i in sorted(goal.indicators.all(), key=lambda i: (i.position, i.pk))
        ],
    }


def canonical_text(agreement: Agreement) -> bytes:
    """The agreement's text as canonical JSON (UTF-8): the same bytes for the same text, always."""
    return json.dumps(document(agreement), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def text_sha256(agreement: Agreement) -> str:
    """The hex SHA-256 of ``canonical_text``: what freezing records and signatories are shown."""
    return hashlib.sha256(canonical_text(agreement)).hexdigest()
