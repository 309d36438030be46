"""Reads of agreements, with visibility applied. Each page's queries are fixed in number."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from agreements.models import Agreement, Comment, Event, Party, Section, SectionVersion
from agreements.permissions import UserLike, counties_startable_by, sees_every_agreement, visible_agreement_ids
from regions.models import Organisation, WellbeingCounty
from users.models import OrganisationRole


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


def section_neighbours(section: Section) -> tuple[Section | None, Section | None]:
    """The sections before and after ``section`` in the template's order (one query: an agreement has
    the template's twenty-odd sections)."""
    sections = list(Section.objects.filter(agreement=section.agreement_id).only("key", "title", "position"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    return (sections[index - 1] if index > 0 else None), (sections[index + 1] if index + 1 < len(sections) else None)


COMMENT_PAGE_SIZE = 20


@dataclass(frozen=True)
class CommentPage:
    threads: list[Comment]
    number: int  # from 1
    has_next: bool
    first: int  # the position of the page's first thread, from 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def section_comments(section: Section, *, page: int = 1, size: int = COMMENT_PAGE_SIZE) -> CommentPage:
    """A page of the section's discussions, open ones first and the newest first, each with its
    replies: two queries, however many discussions the section has."""
    replies = Comment.objects.select_related("author", "party").order_by("created_at", "pk")
    offset = (page - 1) * size
    threads = list(
        section.comments.filter(parent__isnull=True)
        .annotate(resolved=Case(When(resolved_at__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("resolved", "-created_at", "-pk")
        .select_related("author", "party", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=replies))[offset : offset + size + 1]
    )
    return CommentPage(threads=threads[:size], number=page, has_next=len(threads) > size, first=offset + 1)


HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryEntry:
    """A burst of one person's saves (see ``services.core.starts_burst``), shown by its last version."""

    first_number: int
    first_at: datetime.datetime
    last: SectionVersion  # without its text

    @property
    def count(self) -> int:
        return self.last.number - self.first_number + 1


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    newer: int | None  # ``before`` of the page of newer entries; 0: the first page; None: this is it
    older: int | None  # ``before`` of the page of older entries; None: there are none


def section_history_page(section: Section, *, before: int | None = None, size: int = HISTORY_PAGE_SIZE) -> HistoryPage:
    """A page of the section's history, newest first: the ``size`` bursts that begin before version
    ``before`` (None: the newest). Three queries at most, each a range of an index, however many
    versions the section has."""
    starts_of = section.versions.filter(starts_burst=True)
    bound = before if before is not None and 0 < before <= section.version else None
    starts = starts_of.filter(number__lt=bound) if bound else starts_of
    rows = list(starts.order_by("-number").values_list("number", "created_at")[: size + 1])
    older = rows[size - 1][0] if len(rows) > size else None
    rows = rows[:size]
    top = (bound or section.version + 1) - 1  # the last version of this page's newest burst
    ends = [top, *(number - 1 for number, _at in rows[:-1])] if rows else []
    last_versions = {
        v.number: v for v in section.versions.filter(number__in=ends).defer("text").select_related("created_by")
    }
    entries = [
        HistoryEntry(first_number=number, first_at=at, last=last_versions[end])
        for (number, at), end in zip(rows, ends, strict=True)
        if end in last_versions
    ]
    newer = None
    if bound:
        # The page before this one ends where this one begins; it begins ``size`` bursts later.
        later = list(
            starts_of.filter(number__gte=bound).order_by("number").values_list("number", flat=True)[: size + 1]
        )
        newer = later[size] if len(later) > size else 0
    return HistoryPage(entries=entries, newer=newer, older=older)


def section_version_texts(section: Section, numbers: set[int]) -> dict[int, str]:
    """The texts of the section's versions ``numbers`` (version 0 is the empty text before the first)."""
    texts = dict(section.versions.filter(number__in=numbers).values_list("number", "text"))
    return {0: "", **texts}


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


# --- The home page's lists (registered in ``AgreementsConfig.ready``, shown by ``yhdyspinta.home``) ---

HOME_LIMIT = 20  # rows a home list shows; the rest are on the agreement pages


@dataclass(frozen=True)
class HomeAgreements:
    agreements: list[Agreement]
    more: bool  # there are more than HOME_LIMIT
    everything: bool  # a portal admin: every agreement, not those of their organisations
    organisations: list  # the user's organisations (for the empty state)
    startable: list[WellbeingCounty]  # counties whose agreements the user may start


def home_agreements(*, user: UserLike) -> HomeAgreements:
    """The agreements the user may see, newest change first, each with its last event's kind.

    For a portal admin that is every agreement, and the page says so rather than calling them the
    agreements of their organisations.
    """
    last_event = Event.objects.filter(agreement=OuterRef("pk")).order_by("-at", "-pk").values("kind")[:1]
    rows = list(agreement_list_for_user(user=user).annotate(last_event_kind=Subquery(last_event))[: HOME_LIMIT + 1])
    for agreement in rows:
        kind = agreement.last_event_kind
        agreement.last_event_label = Event.Kind(kind).label if kind in Event.Kind.values else ""
    organisations = list(Organisation.objects.filter(user_roles__user=user.pk).distinct().order_by("name_fi"))
    return HomeAgreements(
        agreements=rows[:HOME_LIMIT],
        more=len(rows) > HOME_LIMIT,
        everything=sees_every_agreement(user),
        organisations=organisations,
        startable=counties_startable_by(user, counties_coordinated_by(user)) if organisations else [],
    )


@dataclass(frozen=True)
class HomeThread:
    thread: Comment  # with ``section`` and its ``agreement``, ``party`` and ``author``
    last: Comment  # the last word: the newest reply, or the thread itself when no one has answered
    started_by_me: bool  # the user or a party they speak for started it
    last_word_mine: bool  # the user or a party they speak for had the last word
    answered: bool

    @property
    def awaits_answer(self) -> bool:
        """Someone other than the user's side spoke last: it is theirs to answer."""
        return not self.last_word_mine


@dataclass(frozen=True)
class HomeThreads:
    threads: list[HomeThread]
    more: bool
    speaks_for_parties: bool  # False for a portal admin, who speaks for no party
    everything: bool  # a portal admin, who sees every agreement's discussions but joins them as no party


def home_threads(*, user: UserLike) -> HomeThreads:
    """Open discussions in the agreements the user may see that concern them, newest word first.

    A discussion concerns the user when they or a party they speak for started it, when they or their
    party took part and someone else had the last word, or when no one has answered it yet in an
    agreement their organisation is a party to. A user who speaks for no party (a portal admin) is
    thus shown only the discussions they took part in: the unanswered ones are for the agreement's
    parties to answer. Three queries: the discussions, whether the user speaks for any party, and
    (when a shown discussion has replies) the last replies with their authors and parties.
    """
    my_organisations = OrganisationRole.objects.filter(user=user.pk).values("organisation_id")
    by_me = Q(author=user.pk) | Q(party__organisation__in=my_organisations)
    mine = Comment.objects.filter(by_me)
    replies = Comment.objects.filter(parent=OuterRef("pk"))
    threads = (
        Comment.objects.filter(
            section__agreement__in=visible_agreement_ids(user), parent__isnull=True, resolved_at__isnull=True
        )
        .annotate(
            last_reply_id=Subquery(replies.order_by("-created_at", "-pk").values("pk")[:1]),
            answered=Exists(replies),
            started_by_me=Exists(mine.filter(pk=OuterRef("pk"))),
            took_part=Exists(replies.filter(by_me)),
            last_word_mine=Exists(mine.filter(pk=OuterRef("last_reply_id"))),
            my_party_is_a_party=Exists(
                Party.objects.filter(agreement=OuterRef("section__agreement"), organisation__in=my_organisations)
            ),
        )
        .select_related("section__agreement", "party", "author")
    )
    concerns = (
        Q(started_by_me=True) | Q(took_part=True, last_word_mine=False) | Q(answered=False, my_party_is_a_party=True)
    )
    last_at = Coalesce(Subquery(replies.order_by("-created_at", "-pk").values("created_at")[:1]), "created_at")
    rows = list(threads.filter(concerns).annotate(last_at=last_at).order_by("-last_at", "-pk")[: HOME_LIMIT + 1])
    last_ids = [t.last_reply_id for t in rows[:HOME_LIMIT] if t.last_reply_id]
    last = Comment.objects.select_related("party", "author").in_bulk(last_ids) if last_ids else {}
    return HomeThreads(
        threads=[
            HomeThread(
                thread=t,
                last=last.get(t.last_reply_id, t),
                started_by_me=t.started_by_me,
                last_word_mine=t.last_word_mine if t.answered else t.started_by_me,
                answered=t.answered,
            )
            for t in rows[:HOME_LIMIT]
        ],
        more=len(rows) > HOME_LIMIT,
        speaks_for_parties=OrganisationRole.objects.filter(user=user.pk).exists(),
        everything=sees_every_agreement(user),
    )
