"""The one way TYM agreements are started and their terms written.

A TYM agreement is started from a steering group by an official of one of the group's employment
authorities (``permissions.can_start_tym_agreement``): an ``agreements`` agreement of kind "tym" with
the group's organisations as parties and the TYM template's sections, created by
``agreements.services.core.agreement_create``. Its terms are written while it is a draft by whoever
may edit it (``agreements.permissions.can_edit_agreement``), under the agreement's row lock.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Theme
from agreements.services.core import agreement_create
from regions.models import Organisation
from tym import permissions
from tym.kind import KEY
from tym.models import SteeringGroup, TymAgreement
from users.models import User


def parties_of(group: SteeringGroup) -> list[Organisation]:
    """The organisations that are the parties: the group's employment authorities (the lead first),
    its county and Kela."""
    areas = sorted(group.employment_areas.all(), key=lambda a: (a.pk != group.lead_authority_id, a.code))
    kela = Organisation.objects.filter(kind=Organisation.Kind.KELA).first()
    return [*areas, group.county, *([kela] if kela else [])]


def default_validity(group: SteeringGroup) -> tuple[datetime.date, datetime.date]:
    """An agreement's validity unless its drafters say otherwise: from today (or the term's start)
    to the term's last day."""
    return max(group.term_start, timezone.localdate()), group.term_last_day


@transaction.atomic
def tym_agreement_start(
    *,
    group: SteeringGroup,
    by: User,
    title: str,
    language: str = Agreement.Language.FINNISH,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Agreement:
    """Starts the group's TYM agreement, valid (by default) from today or the term's start to its end."""
    group = SteeringGroup.objects.select_for_update().select_related("county", "lead_authority").get(pk=group.pk)
    if not permissions.can_start_tym_agreement(by, group):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Give the agreement a title.")})
    default_from, default_until = default_validity(group)
    valid_from, valid_until = valid_from or default_from, valid_until or default_until
    if not group.contains(valid_from, valid_until):
        raise ValidationError(
            {
                "valid_until": _("The agreement is valid within the group's term, %(start)s–%(end)s.")
                % {
                    "start": f"{group.term_start:%-d.%-m.%Y}",
                    "end": f"{group.term_last_day:%-d.%-m.%Y}",
                }
            }
        )
    return agreement_create(
        by=by,
        kind=KEY,
        county=group.county,
        title=title,
        language=language,
        organisations=parties_of(group),
        main_theme=Theme.EMPLOYMENT,
        themes=[Theme.EMPLOYMENT],
        valid_from=valid_from,
        valid_until=valid_until,
        before_grants=lambda agreement: TymAgreement.objects.create(agreement=agreement, group=group),
    )


# --- Editing the terms (issue 11: the TYM terms in the browser) ----------------------------------
# Every write below locks the agreement's row, asks ``agreements.permissions.can_edit_agreement``
# (the employment authorities' people while it is a draft), refuses a broken rule keyed by the form
# field it belongs to, and writes one timeline entry naming the section whose part changed.

from decimal import Decimal  # noqa: E402

from django.db.models import Max, Model  # noqa: E402

from agreements import kinds  # noqa: E402
from agreements import permissions as agreement_permissions  # noqa: E402
from agreements.models import Event, Party  # noqa: E402
from agreements.services.core import _event, _locked_agreement, _touch  # noqa: E402
from regions.models import Municipality  # noqa: E402
from regions.selectors import county_municipalities_on  # noqa: E402
from tym.checks import check_day  # noqa: E402
from tym.models import AuthorityShare, CostItem, ServiceLocation, StaffRow  # noqa: E402
from tym.template import SECTIONS  # noqa: E402

# The section of the TYM template that shows each structured part ("tym_staff" → "5").
SECTION_OF = {section.kind: section.key for section in SECTIONS if section.kind.startswith("tym_")}


def _locked(agreement: Agreement, by: User) -> tuple[Agreement, TymAgreement]:
    agreement = _locked_agreement(agreement, by, agreement_permissions.can_edit_agreement)
    terms = TymAgreement.objects.select_related("group__county").filter(agreement=agreement).first()
    if terms is None:
        raise ValidationError(_("The agreement has no TYM terms."))
    return agreement, terms


def _changed(agreement: Agreement, by: User, part: str) -> None:
    key = SECTION_OF[part]
    section = kinds.of(agreement).section(key)
    title = section.title(agreement.language) if section else ""
    _event(agreement, Event.Kind.PART_CHANGED, by, f"{key} {title}".strip())
    _touch(agreement.pk)


def _row(model: type[Model], row: Model | None, agreement: Agreement) -> Model | None:
    """The row again, locked, if it still belongs to ``agreement``; otherwise an error."""
    if row is None:
        return None
    current = model.objects.select_for_update().filter(pk=row.pk, agreement=agreement).first()
    if current is None:
        raise ValidationError(_("This item was removed meanwhile."))
    return current


def _next_position(model: type[Model], agreement: Agreement, **scope) -> int:
    return (model.objects.filter(agreement=agreement, **scope).aggregate(m=Max("position"))["m"] or 0) + 1


def _required(errors: dict, field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = message
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _percent(errors: dict, field: str, value: Decimal | None) -> None:
    if value is not None and not (Decimal(0) <= value <= Decimal(100)):
        errors[field] = _("Give a percentage from 0 to 100.")


def _party_of(agreement: Agreement, party: Party | None) -> Party | None:
    if party is None:
        return None
    return Party.objects.select_related("organisation").filter(pk=party.pk, agreement=agreement).first()


@transaction.atomic
def service_location_save(
    *,
    agreement: Agreement,
    by: User,
    location: ServiceLocation | None = None,
    name: str,
    address: str = "",
    municipality: Municipality | None = None,
    channels: list[str] | tuple[str, ...] = (),
) -> ServiceLocation:
    """A service location: its name, address, a municipality of the group's county, its ways of service."""
    agreement, terms = _locked(agreement, by)
    location = _row(ServiceLocation, location, agreement)
    errors: dict = {}
    name = _required(errors, "name", name, _("Give the location a name."))
    if municipality is not None:
        county = terms.group.county
        if not county_municipalities_on(county, check_day(agreement)).filter(pk=municipality.pk).exists():
            errors["municipality"] = _("Choose a municipality of %(county)s.") % {"county": county}
    unknown = [c for c in channels if c not in ServiceLocation.Channel.values]
    if unknown:
        errors["channels"] = _("Choose the ways of service from the list.")
    _raise(errors)
    if location is None:
        location = ServiceLocation(agreement=agreement, position=_next_position(ServiceLocation, agreement))
    location.name = name
    location.address = (address or "").strip()
    location.municipality = municipality
    # In the list's order, each once, whatever order the boxes were ticked in.
    location.channels = [c for c in ServiceLocation.Channel.values if c in set(channels)]
    location.save()
    _changed(agreement, by, "tym_service")
    return location


@transaction.atomic
def service_terms_update(*, agreement: Agreement, by: User, client_criteria: str, client_process: str) -> TymAgreement:
    """Who is referred and the client process (decree 388/2024 §3 (1)); the TYP warning never blocks."""
    agreement, terms = _locked(agreement, by)
    terms.client_criteria = (client_criteria or "").strip()
    terms.client_process = (client_process or "").strip()
    terms.save(update_fields=["client_criteria", "client_process"])
    _changed(agreement, by, "tym_service")
    return terms


@transaction.atomic
def staff_basis_update(
    *, agreement: Agreement, by: User, staff_basis: str, expected_clients: int | None
) -> TymAgreement:
    """Whether the staff are counted in FTE or persons, and the expected number of clients a year."""
    agreement, terms = _locked(agreement, by)
    errors: dict = {}
    if staff_basis not in TymAgreement.StaffBasis.values:
        errors["staff_basis"] = _("Choose how the staff are counted.")
    if expected_clients is not None and expected_clients < 0:
        errors["expected_clients"] = _("Give a number that is not negative.")
    _raise(errors)
    terms.staff_basis = staff_basis
    terms.expected_clients = expected_clients
    terms.save(update_fields=["staff_basis", "expected_clients"])
    _changed(agreement, by, "tym_staff")
    return terms


@transaction.atomic
def staff_row_save(
    *,
    agreement: Agreement,
    by: User,
    row: StaffRow | None = None,
    party: Party,
    title: str,
    amount: Decimal | None,
    location: ServiceLocation | None = None,
    tasks: str = "",
) -> StaffRow:
    """One line of a party's staff: a party of this agreement, more than zero, at one of its locations."""
    agreement, _terms = _locked(agreement, by)
    row = _row(StaffRow, row, agreement)
    errors: dict = {}
    current_party = _party_of(agreement, party)
    if current_party is None:
        errors["party"] = _("Choose a party of this agreement.")
    title = _required(errors, "title", title, _("Give the title or profession."))
    if amount is None or amount <= 0:
        errors["amount"] = _("Give a number greater than zero, such as 2,5.")
    elif amount.as_tuple().exponent < -2 or abs(amount) >= Decimal("100000"):
        errors["amount"] = _("Give at most two decimals and less than 100 000.")
    if location is not None and not ServiceLocation.objects.filter(pk=location.pk, agreement=agreement).exists():
        errors["location"] = _("Choose a service location of this agreement.")
    _raise(errors)
    if row is None:
        row = StaffRow(agreement=agreement, position=_next_position(StaffRow, agreement, party=current_party))
    row.party = current_party
    row.title = title
    row.amount = amount
    row.location = location
    row.tasks = (tasks or "").strip()
    row.save()
    _changed(agreement, by, "tym_staff")
    return row


@transaction.atomic
def staffing_review_update(*, agreement: Agreement, by: User, staffing_review: str) -> TymAgreement:
    """How the staffing is reviewed every year and the agreement amended (decree 388/2024 §3 (3))."""
    agreement, terms = _locked(agreement, by)
    terms.staffing_review = (staffing_review or "").strip()
    terms.save(update_fields=["staffing_review"])
    _changed(agreement, by, "tym_review")
    return terms


@transaction.atomic
def cost_item_save(
    *, agreement: Agreement, by: User, item: CostItem | None = None, name: str, annual_amount: Decimal | None
) -> CostItem:
    """A joint cost other than staff with its annual amount in euros (zero or more)."""
    agreement, _terms = _locked(agreement, by)
    item = _row(CostItem, item, agreement)
    errors: dict = {}
    name = _required(errors, "name", name, _("Name the cost."))
    if annual_amount is None or annual_amount < 0:
        errors["annual_amount"] = _("Give the annual amount in euros, zero or more.")
    elif annual_amount.as_tuple().exponent < -2 or annual_amount >= Decimal("10000000000"):
        errors["annual_amount"] = _("Give at most two decimals and less than 10 000 000 000.")
    _raise(errors)
    if item is None:
        item = CostItem(agreement=agreement, position=_next_position(CostItem, agreement))
    item.name = name
    item.annual_amount = annual_amount
    item.save()
    _changed(agreement, by, "tym_costs")
    return item


@transaction.atomic
def cost_key_update(
    *,
    agreement: Agreement,
    by: User,
    cost_key: str,
    cost_key_name: str = "",
    cost_key_basis: str = "",
    county_percent: Decimal | None = None,
    authority_split: str = TymAgreement.AuthoritySplit.STAFF,
    authority_split_basis: str = "",
    authority_shares: dict[Party, Decimal | None] | None = None,
) -> TymAgreement:
    """How the joint costs are split: by the staff (the law's default), agreed percentages, or a key
    of its own with its name and basis; the county's percent; how several employment authorities
    split their share, with each one's percent when agreed. That the percents add up to 100 is a
    statutory check shown on the agreement, not a refusal here: a draft may be half written."""
    agreement, terms = _locked(agreement, by)
    Key, Split = TymAgreement.CostKey, TymAgreement.AuthoritySplit
    errors: dict = {}
    if cost_key not in Key.values:
        errors["cost_key"] = _("Choose how the joint costs are split.")
    if authority_split not in Split.values:
        errors["authority_split"] = _("Choose how the employment authorities' share is split.")
    cost_key_name = (cost_key_name or "").strip()
    cost_key_basis = (cost_key_basis or "").strip()
    if cost_key == Key.CUSTOM:
        _required(errors, "cost_key_name", cost_key_name, _("Name the key."))
        _required(errors, "cost_key_basis", cost_key_basis, _("Give the basis of the key."))
    if cost_key in (Key.FIXED, Key.CUSTOM) and county_percent is None:
        errors["county_percent"] = _("Give the county's share in percent.")
    _percent(errors, "county_percent", county_percent)
    shares: dict[int, Decimal] = {}
    authorities = {
        p.pk: p
        for p in agreement.parties.select_related("organisation")
        if p.organisation.kind == Organisation.Kind.EMPLOYMENT_AUTHORITY
    }
    for party, percent in (authority_shares or {}).items():
        if party.pk not in authorities:
            errors["authority_shares"] = _("Give shares to the employment authorities of this agreement only.")
            continue
        field = f"share_{party.pk}"
        _percent(errors, field, percent)
        if percent is not None:
            shares[party.pk] = percent
        elif authority_split == Split.FIXED and len(authorities) > 1:
            errors[field] = _("Give this employment authority's share in percent.")
    _raise(errors)
    terms.cost_key = cost_key
    terms.cost_key_name = cost_key_name
    terms.cost_key_basis = cost_key_basis
    terms.county_percent = None if cost_key == Key.STAFF else county_percent
    terms.authority_split = authority_split
    terms.authority_split_basis = (authority_split_basis or "").strip()
    terms.save(
        update_fields=[
            "cost_key",
            "cost_key_name",
            "cost_key_basis",
            "county_percent",
            "authority_split",
            "authority_split_basis",
        ]
    )
    # The shares are kept only when they are what the split uses.
    kept = shares if authority_split == Split.FIXED else {}
    AuthorityShare.objects.filter(agreement=agreement).exclude(party_id__in=list(kept)).delete()
    for party_id, percent in kept.items():
        AuthorityShare.objects.update_or_create(agreement=agreement, party_id=party_id, defaults={"percent": percent})
    _changed(agreement, by, "tym_costs")
    return terms


@transaction.atomic
def kela_participation_update(
    *,
    agreement: Agreement,
    by: User,
    kela_participation: str,
    kela_contribution: Decimal | None = None,
    kela_terms: str = "",
) -> TymAgreement:
    """How Kela takes part in the costs (decree 388/2024 §3 (5)): stated, even when it is none; a sum
    in euros a year when it contributes."""
    agreement, terms = _locked(agreement, by)
    Participation = TymAgreement.KelaParticipation
    errors: dict = {}
    if not kela_participation or kela_participation not in Participation.values:
        errors["kela_participation"] = _("Choose how Kela takes part in the costs.")
    if kela_participation == Participation.CONTRIBUTION and (kela_contribution is None or kela_contribution <= 0):
        errors["kela_contribution"] = _("Give Kela's annual contribution in euros.")
    if kela_contribution is not None and (
        kela_contribution < 0 or kela_contribution.as_tuple().exponent < -2 or kela_contribution >= Decimal("1e10")
    ):
        errors["kela_contribution"] = _("Give the sum in euros, zero or more, with at most two decimals.")
    _raise(errors)
    terms.kela_participation = kela_participation
    terms.kela_contribution = kela_contribution if kela_participation == Participation.CONTRIBUTION else None
    terms.kela_terms = (kela_terms or "").strip()
    terms.save(update_fields=["kela_participation", "kela_contribution", "kela_terms"])
    _changed(agreement, by, "tym_kela")
    return terms


PART_OF_ROW = {ServiceLocation: "tym_service", StaffRow: "tym_staff", CostItem: "tym_costs"}


@transaction.atomic
def terms_row_delete(*, row: ServiceLocation | StaffRow | CostItem, by: User) -> None:
    """Removes a service location (its staff rows keep their place: none), a staff row or a cost."""
    agreement, _terms = _locked(Agreement(pk=row.agreement_id), by)
    model = type(row)
    current = _row(model, row, agreement)
    current.delete()
    _changed(agreement, by, PART_OF_ROW[model])
