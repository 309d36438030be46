"""Reads for the public register: only public agreements, and of them only what the signed document holds.

Nothing here names a portal user: no usernames, e-mail addresses, comments, versions or audit
entries. The parties' decisions are shown by body, date, § and minutes; signatures by the
signatory's name and title and the date. Each page's queries are fixed in number, whatever the
number of parties, decisions, signatures, sections or goals.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from agreements.models import Agreement, Annex, Decision, Party, Section, Signatory, Theme
from agreements.permissions import public_agreements
from agreements.selectors import forums_of, goals_of
from regions.models import Municipality, WellbeingCounty

PAGE_SIZE = 50


@dataclass(frozen=True)
class RegisterFilters:
    county: WellbeingCounty | None = None
    municipality: Municipality | None = None
    theme: str = ""


def _with_theme(theme: str) -> Q:
    # themes is a JSON list of Theme values, none of which is part of another once quoted.
    return Q(main_theme=theme) | Q(themes__icontains=f'"{theme}"')


def register_agreements(filters: RegisterFilters) -> QuerySet[Agreement]:
    """The public agreements that match the filters, by county and title."""
    agreements = public_agreements().select_related("county")
    if filters.county is not None:
        agreements = agreements.filter(county=filters.county)
    if filters.municipality is not None:
        parties = Party.objects.filter(agreement=OuterRef("pk"), organisation_id=filters.municipality.pk)
        agreements = agreements.filter(Exists(parties))
    if filters.theme in Theme.values:
        agreements = agreements.filter(_with_theme(filters.theme))
    return agreements.order_by("county__code", "title", "edition", "pk")


def register_counties() -> list[WellbeingCounty]:
    """Every county (the choices of the register's filter; a county's page links to its choice)."""
    return list(WellbeingCounty.objects.order_by("code"))


def register_municipalities() -> list[Municipality]:
    """The municipalities that are a party to a public agreement."""
    parties = Party.objects.filter(agreement__in=public_agreements(), organisation_id=OuterRef("pk"))
    return list(Municipality.objects.filter(Exists(parties)).order_by("name_fi"))


@dataclass(frozen=True)
class PublicParty:
    party: Party
    decisions: list[Decision]
    signatures: list[Signatory]  # the signatories who have signed, each with its ``signature``


@dataclass(frozen=True)
class PublicAgreement:
    agreement: Agreement
    editions: list[Agreement]  # every public edition of the agreement, this one included, oldest first
    parties: list[PublicParty]
    sections: list[Section]
    goals: list
    forums: list
    annexes: list[Annex]


def public_agreement(agreement: Agreement) -> PublicAgreement:
    """What the register shows of a public agreement, in a fixed number of queries."""
    signed = Signatory.objects.filter(signature__isnull=False).select_related("signature")
    parties = list(
        agreement.parties.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk")),
            Prefetch("signatories", queryset=signed.order_by("position", "pk"), to_attr="signed"),
        )
    )
    series = agreement.series_id_or_own
    editions = list(
        public_agreements().filter(Q(pk=series) | Q(series=series)).only("pk", "edition", "status", "in_force_from")
    )
    return PublicAgreement(
        agreement=agreement,
        editions=sorted(editions, key=lambda a: a.edition),
        parties=[PublicParty(party=p, decisions=list(p.decisions.all()), signatures=p.signed) for p in parties],
        sections=list(agreement.sections.defer("updated_by", "updated_at").order_by("position")),
        goals=goals_of(agreement),
        forums=forums_of(agreement),
        annexes=list(agreement.annexes.defer("uploaded_by").order_by("uploaded_at", "pk")),
    )
