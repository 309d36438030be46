"""The structured parts of a TYM agreement shown on its sections' pages, and its terms as canonical data.

``terms_of(agreement)`` reads every row of the terms in a fixed number of queries whatever the
number of parties, locations, staff rows and costs; each part's context is built from it.
"""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.kinds import Part
from agreements.models import Agreement, Party
from tym import costs
from tym.models import AuthorityShare, CostItem, GroupYearlyGoal, ServiceLocation, StaffRow, TymAgreement
from tym.selectors import group_on


@dataclass
class PartyStaff:
    party: Party
    rows: list[StaffRow]

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0.00"))


@dataclass
class Terms:
    agreement: Agreement
    terms: TymAgreement
    parties: list[Party]
    locations: list[ServiceLocation]
    staff: list[StaffRow]
    items: list[CostItem]
    authority_shares: list[AuthorityShare]

    @property
    def staff_by_party(self) -> list[PartyStaff]:
        return [PartyStaff(party=p, rows=[r for r in self.staff if r.party_id == p.pk]) for p in self.parties]

    @property
    def staff_total(self) -> Decimal:
        return sum((row.amount for row in self.staff), Decimal("0.00"))

    @property
    def split(self) -> costs.CostSplit:
        return costs.cost_split(
            self.agreement,
            terms=self.terms,
            parties=self.parties,
            staff=self.staff,
            items=self.items,
            authority_shares=self.authority_shares,
        )


def terms_of(agreement: Agreement) -> Terms:
    terms = TymAgreement.objects.select_related("group__county", "group__lead_authority").get(agreement=agreement)
    parties = list(agreement.parties.select_related("organisation").order_by("position", "pk"))
    by_pk = {p.pk: p for p in parties}
    locations = list(ServiceLocation.objects.filter(agreement=agreement).select_related("municipality"))
    staff = list(StaffRow.objects.filter(agreement=agreement).select_related("location"))
    for row in staff:
        row.party = by_pk[row.party_id]
    items = list(CostItem.objects.filter(agreement=agreement))
    shares = list(AuthorityShare.objects.filter(agreement=agreement))
    return Terms(agreement, terms, parties, locations, staff, items, shares)


def _group_context(agreement: Agreement) -> dict:
    """The group's members on a day: today, or the day of the version a document shows
    (``agreement.shown_on``, set by ``pdfs.document``), so a document renders the same every day."""
    terms = TymAgreement.objects.select_related("group").get(agreement=agreement)
    day = getattr(agreement, "shown_on", None) or timezone.localdate()
    return {"tym": group_on(terms.group, max(agreement.valid_from, day))}


def _follow_up_context(agreement: Agreement) -> dict:
    """The group's yearly goals for the years the agreement is valid: its follow-up indicators."""
    terms = TymAgreement.objects.select_related("group").get(agreement=agreement)
    goals = GroupYearlyGoal.objects.filter(
        group=terms.group, year__gte=agreement.valid_from.year, year__lte=agreement.valid_until.year
    ).order_by("year", "position")
    years: dict[int, list[GroupYearlyGoal]] = {}
    for goal in goals:
        years.setdefault(goal.year, []).append(goal)
    return {"tym": {"group": terms.group, "years": sorted(years.items())}}


def _terms_context(agreement: Agreement) -> dict:
    return {"tym": terms_of(agreement)}


PARTS = (
    # The group's members change on the group's rows, not the agreement's, and are shown on a day.
    Part("tym_group", _("Steering group"), "tym/parts/_group.html", _group_context, cacheable=False),
    Part("tym_service", _("How the service is arranged"), "tym/parts/_service.html", _terms_context),
    Part("tym_staff", _("Staff per party"), "tym/parts/_staff.html", _terms_context),
    Part("tym_review", _("Yearly staffing review"), "tym/parts/_review.html", _terms_context),
    Part("tym_costs", _("Cost split"), "tym/parts/_costs.html", _terms_context),
    Part("tym_kela", _("Kela's participation"), "tym/parts/_kela.html", _terms_context),
    # The goals are the group's rows, outside the agreement's change stamp.
    Part("tym_follow_up", _("Yearly goals"), "tym/parts/_follow_up.html", _follow_up_context, cacheable=False),
)
# --- The printed document (pdfs.document): each part's partial is templates/pdfs/doc/<section kind>.html ---
PARTS = tuple(dataclasses.replace(part, print_template=f"pdfs/doc/{part.section_kind}.html") for part in PARTS)
# --- end of the printed document ---


def amount_text(value: Decimal | None) -> str | None:
    """A decimal as canonical text (the hash's and the bundle's): its digits, a point, no grouping."""
    return None if value is None else str(value)


def canonical_terms(agreement: Agreement) -> dict:
    """The TYM terms as data for the canonical text: parties by official name, amounts as strings."""
    t = terms_of(agreement)
    name = {p.pk: p.official_name for p in t.parties}
    terms = t.terms
    return {
        "group": {
            "name": terms.group.name,
            "county": terms.group.county.code,
            "term_start": terms.group.term_start.isoformat(),
        },
        "client_criteria": terms.client_criteria,
        "client_process": terms.client_process,
        "staff_basis": terms.staff_basis,
        "expected_clients": terms.expected_clients,
        "staffing_review": terms.staffing_review,
        "cost_key": terms.cost_key,
        "cost_key_name": terms.cost_key_name,
        "cost_key_basis": terms.cost_key_basis,
        "county_percent": amount_text(terms.county_percent),
        "authority_split": terms.authority_split,
        "authority_split_basis": terms.authority_split_basis,
        "kela_participation": terms.kela_participation,
        "kela_contribution": amount_text(terms.kela_contribution),
        "kela_terms": terms.kela_terms,
        "locations": [
            {
                "name": loc.name,
                "address": loc.address,
                "municipality": loc.municipality.code if loc.municipality else None,
                "channels": list(loc.channels),
            }
            for loc in t.locations
        ],
        "staff": [
            {
                "party": name[row.party_id],
                "title": row.title,
                "amount": amount_text(row.amount),
                "location": row.location.name if row.location else None,
                "tasks": row.tasks,
            }
            for row in t.staff
        ],
        "costs": [{"name": item.name, "annual_amount": amount_text(item.annual_amount)} for item in t.items],
        "authority_shares": [
            {"party": name[s.party_id], "percent": amount_text(s.percent)} for s in t.authority_shares
        ],
    }
