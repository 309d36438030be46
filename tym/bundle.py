"""A TYM agreement's terms and its steering group in the agreement bundle (``AgreementKind.bundle_export``).

Each edition's ``terms`` holds the group the agreement belongs to and every row of its terms::

    {"group": {"county", "name", "term_start", "term_end", "employment_areas": [codes],
               "lead_authority": code,
               "members": [{"organisation": {kind, code}, "role", "person_name", "title",
                            "deputy_name", "deputy_title", "valid_from", "valid_until"}]},
     "agreement": {every field of TymAgreement but the agreement and the group},
     "locations": [{"ref", "position", "name", "address", "municipality": code or null, "channels"}],
     "staff": [{"party": ref, "position", "title", "amount", "location": location ref or null, "tasks"}],
     "costs": [{"position", "name", "annual_amount"}],
     "authority_shares": [{"party": ref, "percent"}]}

Parties are the bundle's party refs, decimals strings, municipalities and employment areas their
codes, organisations as the bundle names them. On import the group is the one of the target
database with the same county, name and start of term (its areas and lead authority must be the
bundle's), or it is created with its members. A member's portal user does not travel: the group's
people are recorded by name, and a member links to a user in the portal where they work.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import DecimalField

from agreements.models import Agreement, Party
from agreements.services.bundle import BundleError, find_organisation, organisation_key, save_valid
from regions.models import EmploymentArea, Municipality, WellbeingCounty
from tym import permissions
from tym.models import (
    TERMS_FIELDS,
    AuthorityShare,
    CostItem,
    GroupMember,
    ServiceLocation,
    StaffRow,
    SteeringGroup,
    TymAgreement,
)
from tym.parts import amount_text

MEMBER_FIELDS = ("role", "person_name", "title", "deputy_name", "deputy_title")
ORGANISATION = (
    "organisation__municipality",
    "organisation__wellbeingcounty",
    "organisation__regionalcouncil",
    "organisation__employmentarea",
)


def _group_export(group: SteeringGroup) -> dict[str, Any]:
    members = group.members.select_related(*ORGANISATION).order_by("role", "person_name", "valid_from", "pk")
    return {
        "county": group.county.code,
        "name": group.name,
        "term_start": group.term_start.isoformat(),
        "term_end": group.term_end.isoformat(),
        "employment_areas": sorted(area.code for area in group.employment_areas.all()),
        "lead_authority": group.lead_authority.code,
        "members": [
            {
                "organisation": organisation_key(m.organisation),
                **{name: getattr(m, name) for name in MEMBER_FIELDS},
                "valid_from": m.valid_from.isoformat(),
                "valid_until": m.valid_until.isoformat(),
            }
            for m in members
        ],
    }


def bundle_export(agreement: Agreement, party_ref) -> dict[str, Any]:
    """The terms of ``agreement`` with its group, as the bundle carries them."""
    terms = TymAgreement.objects.select_related("group__county", "group__lead_authority").get(agreement=agreement)
    ref = {party.pk: party_ref(party) for party in agreement.parties.all()}
    locations = list(ServiceLocation.objects.filter(agreement=agreement).select_related("municipality"))
    location_ref = {loc.pk: n for n, loc in enumerate(locations, 1)}
    values = {}
    for name in TERMS_FIELDS:
        value = getattr(terms, name)
        values[name] = amount_text(value) if isinstance(TymAgreement._meta.get_field(name), DecimalField) else value
    return {
        "group": _group_export(terms.group),
        "agreement": values,
        "locations": [
            {
                "ref": location_ref[loc.pk],
                "position": loc.position,
                "name": loc.name,
                "address": loc.address,
                "municipality": loc.municipality.code if loc.municipality else None,
                "channels": list(loc.channels),
            }
            for loc in locations
        ],
        "staff": [
            {
                "party": ref[row.party_id],
                "position": row.position,
                "title": row.title,
                "amount": amount_text(row.amount),
                "location": location_ref.get(row.location_id),
                "tasks": row.tasks,
            }
            for row in StaffRow.objects.filter(agreement=agreement)
        ],
        "costs": [
            {"position": item.position, "name": item.name, "annual_amount": amount_text(item.annual_amount)}
            for item in CostItem.objects.filter(agreement=agreement)
        ],
        "authority_shares": [
            {"party": ref[share.party_id], "percent": amount_text(share.percent)}
            for share in AuthorityShare.objects.filter(agreement=agreement)
        ],
    }


class _Read:
    """Reads values at a place of the bundle, naming the place when one is wrong."""

    def __init__(self, parties: dict[int, Party], at: str):
        self.parties = parties
        self.at = at

    def party(self, ref: Any, where: str) -> Party:
        if ref not in self.parties:
            raise BundleError(f"{where}: party ref {ref!r} is used but not listed under parties")
        return self.parties[ref]

    @staticmethod
    def decimal(value: Any, where: str, name: str) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise BundleError(f"{where}: {name} {value!r} is not a number") from None

    @staticmethod
    def date(value: Any, where: str, name: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise BundleError(f"{where}: {name} {value!r} is not a date") from None


def _area(code: Any, where: str) -> EmploymentArea:
    area = EmploymentArea.objects.filter(code=code).first()
    if area is None:
        raise BundleError(f"{where}: employment area {code!r} is not in this database; load the area data first")
    return area


def _group_import(data: dict[str, Any], where: str, read: _Read) -> SteeringGroup:
    """The group of the target database that the bundle names, or a new one with its members."""
    county = WellbeingCounty.objects.filter(code=data["county"]).first()
    if county is None:
        raise BundleError(f"{where}: county {data['county']!r} is not in this database; load the area data first")
    term_start = read.date(data["term_start"], where, "term_start")
    areas = [_area(code, f"{where}.employment_areas[{n}]") for n, code in enumerate(data["employment_areas"])]
    lead = _area(data["lead_authority"], f"{where}.lead_authority")
    existing = SteeringGroup.objects.filter(county=county, name=data["name"], term_start=term_start).first()
    if existing is not None:
        same = sorted(a.code for a in existing.employment_areas.all()) == sorted(a.code for a in areas)
        if not same or existing.lead_authority_id != lead.pk:
            raise BundleError(
                f"{where}: the steering group {data['name']!r} of this database with that term has other "
                "employment areas or another lead authority than the bundle's"
            )
        return existing
    group = save_valid(
        SteeringGroup(
            county=county,
            name=data["name"],
            lead_authority=lead,
            term_start=term_start,
            term_end=read.date(data["term_end"], where, "term_end"),
        ),
        where,
    )
    group.employment_areas.set(areas)
    permissions.steering_group_grant(group=group)  # who manages it and names its members, as when set up
    for n, member in enumerate(data["members"]):
        at = f"{where}.members[{n}]"
        save_valid(
            GroupMember(
                group=group,
                organisation=find_organisation(member["organisation"], at),
                **{name: member[name] for name in MEMBER_FIELDS},
                valid_from=read.date(member["valid_from"], at, "valid_from"),
                valid_until=read.date(member["valid_until"], at, "valid_until"),
            ),
            at,
        )
    return group


def bundle_import(agreement: Agreement, data: Any, parties: dict[int, Party], at: str) -> None:
    """Writes the terms of a draft ``agreement`` being imported, and finds or creates its group."""
    if not isinstance(data, dict):
        raise BundleError(f"{at}: a TYM agreement's terms and group are missing")
    read = _Read(parties, at)
    try:
        group = _group_import(data["group"], f"{at}.group", read)
        values = dict(data["agreement"])
        for name in TERMS_FIELDS:
            if name not in values:
                raise BundleError(f"{at}.agreement: {name} is missing")
            if isinstance(TymAgreement._meta.get_field(name), DecimalField):
                values[name] = read.decimal(values[name], f"{at}.agreement", name)
        save_valid(
            TymAgreement(agreement=agreement, group=group, **{name: values[name] for name in TERMS_FIELDS}),
            f"{at}.agreement",
        )
        locations: dict[int, ServiceLocation] = {}
        for n, loc in enumerate(data["locations"]):
            where = f"{at}.locations[{n}]"
            municipality = None
            if loc["municipality"] is not None:
                municipality = Municipality.objects.filter(code=loc["municipality"]).first()
                if municipality is None:
                    raise BundleError(
                        f"{where}: municipality {loc['municipality']!r} is not in this database; "
                        "load the area data first"
                    )
            locations[loc["ref"]] = save_valid(
                ServiceLocation(
                    agreement=agreement,
                    position=loc["position"],
                    name=loc["name"],
                    address=loc["address"],
                    municipality=municipality,
                    channels=loc["channels"],
                ),
                where,
            )
        for n, row in enumerate(data["staff"]):
            where = f"{at}.staff[{n}]"
            if row["location"] is not None and row["location"] not in locations:
                raise BundleError(f"{where}: location ref {row['location']!r} is not listed under locations")
            save_valid(
                StaffRow(
                    agreement=agreement,
                    party=read.party(row["party"], where),
                    position=row["position"],
                    title=row["title"],
                    amount=read.decimal(row["amount"], where, "amount"),
                    location=locations.get(row["location"]),
                    tasks=row["tasks"],
                ),
                where,
            )
        for n, item in enumerate(data["costs"]):
            where = f"{at}.costs[{n}]"
            save_valid(
                CostItem(
                    agreement=agreement,
                    position=item["position"],
                    name=item["name"],
                    annual_amount=read.decimal(item["annual_amount"], where, "annual_amount"),
                ),
                where,
            )
        for n, share in enumerate(data["authority_shares"]):
            where = f"{at}.authority_shares[{n}]"
            save_valid(
                AuthorityShare(
                    agreement=agreement,
                    party=read.party(share["party"], where),
                    percent=read.decimal(share["percent"], where, "percent"),
                ),
                where,
            )
    except (KeyError, TypeError) as error:
        raise BundleError(f"{at}: the terms are incomplete or malformed: {error!r}") from None
