"""Reads of agreements, with visibility applied. Each page's queries are fixed in number."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from agreements.models import Agreement, Comment, Event, Party, Section, SectionVersion
from agreements.permissions import UserLike, visible_agreement_ids
from regions.models import WellbeingCounty


def _count(queryset: QuerySet, field: str) -> Coalesce:
    return Coalesce(
        Subquery(queryset.values(field).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        0,
    )


def _with_counts(agreements: QuerySet) -> QuerySet:
    return agreements.select_related("county").annotate(
        party_count=_count(Party.objects.filter(agreement=OuterRef("pk")), "agreement"),
        open_comment_count=_count(
            Comment.objects.filter(section__agreement=OuterRef("pk"), parent__isnull=True, resolved_at__isnull=True),
            "section__agreement",
        ),
    )


def agreement_list_for_user(*, user: UserLike) -> QuerySet[Agreement]:
    """Agreements the user may see, newest change first."""
    return _with_counts(Agreement.objects.filter(pk__in=visible_agreement_ids(user))).order_by("-updated_at")


def agreement_list_for_county(*, user: UserLike, county: WellbeingCounty) -> QuerySet[Agreement]:
    return agreement_list_for_user(user=user).filter(county=county)


def sections_with_open_comments(agreement: Agreement) -> QuerySet[Section]:
    return agreement.sections.annotate(
        open_comment_count=Count(
            "comments", filter=Q(comments__parent__isnull=True, comments__resolved_at__isnull=True)
        )
    ).order_by("position")


@dataclass(frozen=True)
class AgreementOverview:
    agreement: Agreement
    parties: list[Party]
    sections: list[Section]
    events: list[Event]


def agreement_overview(agreement: Agreement, *, events: int = 30) -> AgreementOverview:
    return AgreementOverview(
        agreement=agreement,
        parties=list(agreement.parties.select_related("organisation")),
        sections=list(sections_with_open_comments(agreement)),
        events=list(agreement.events.select_related("actor")[:events]),
    )


def section_comments(section: Section) -> list[Comment]:
    """The section's discussions, open first, each with its replies."""
    replies = Comment.objects.select_related("author", "party").order_by("created_at", "pk")
    threads = (
        section.comments.filter(parent__isnull=True)
        .select_related("author", "party", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
    return sorted(threads, key=lambda c: (not c.is_open, c.created_at))


def section_versions(section: Section) -> QuerySet[SectionVersion]:
    return section.versions.select_related("created_by").order_by("-number")


def goals_of(agreement: Agreement) -> list:
    """Section 3.2: goals with their measures, indicators and parties, in a fixed number of queries."""
    from agreements.models import Goal, Measure

    measures = Measure.objects.select_related("lead_party").prefetch_related("co_parties")
    return list(
        Goal.objects.filter(agreement=agreement).prefetch_related(
            "responsible_parties", Prefetch("measures", queryset=measures), "indicators"
        )
    )


def forums_of(agreement: Agreement) -> list:
    from agreements.models import Forum, ForumSeat

    return list(
        Forum.objects.filter(agreement=agreement)
        .select_related("chair")
        .prefetch_related(
            Prefetch("seats", queryset=ForumSeat.objects.select_related("party").order_by("party__position"))
        )
    )


def party_choices(agreement: Agreement) -> tuple[QuerySet[Party], list[tuple[int, str]]]:
    """The agreement's parties as a queryset (for validation) and as choices (rendered without queries)."""
    parties = agreement.parties.all()
    return parties, [(p.pk, p.official_name) for p in parties]


def party_candidates(agreement: Agreement) -> QuerySet:
    """Organisations that can be added as parties: not yet parties, and no other county than the organiser."""
    from regions.models import Organisation

    return (
        Organisation.objects.exclude(pk__in=agreement.parties.values("organisation"))
        .exclude(kind=Organisation.Kind.COUNTY)
        .order_by("kind", "name_fi")
    )


def counties_coordinated_by(user: UserLike) -> QuerySet[WellbeingCounty]:
    from users.models import Role

    return WellbeingCounty.objects.filter(user_roles__user=user.pk, user_roles__role=Role.COORDINATOR).distinct()
