"""TYM agreements for tests: a group with a full membership and an agreement whose checks all pass.

``complete_agreement`` fills every term through the ORM while the agreement is a draft (the terms'
own services are tested on their own); each statutory-check test then breaks one thing.
"""

import datetime
from decimal import Decimal

from regions.models import EmploymentArea, Municipality, Organisation, WellbeingCounty
from tests.conftest import make_user
from tym import services, terms
from tym.demo import member_namer
from tym.models import CostItem, GroupMember, ServiceLocation, StaffRow, SteeringGroup, TymAgreement
from users.models import Role

START = datetime.date(2025, 1, 1)


def people():
    """The users of a TYM agreement in Pirkanmaa: keyed by what they are."""
    pirkanmaa = WellbeingCounty.objects.get(code="08")
    return {
        "drafter": make_user("erin", EmploymentArea.objects.get(code="39")),  # Tampereen seutu official
        "coordinator": make_user("carol", pirkanmaa, Role.COORDINATOR),
        "county_official": make_user("olli", pirkanmaa),
        "kela": make_user("kerttu", Organisation.objects.get(kind=Organisation.Kind.KELA)),
        "other_coordinator": make_user("kaisa", WellbeingCounty.objects.get(code="15"), Role.COORDINATOR),
        "other_drafter": make_user("ville", EmploymentArea.objects.get(code="21")),  # Läntinen Pirkanmaa
        "municipal": make_user("alice", Municipality.objects.get(code="837")),
    }


def group_with_members(by, *, areas=("39",), name="Tampereen seutu", start=START, county="08") -> SteeringGroup:
    pirkanmaa = WellbeingCounty.objects.get(code=county)
    chosen = [EmploymentArea.objects.get(code=code) for code in areas]
    group = services.steering_group_create(
        county=pirkanmaa, name=name, employment_areas=chosen, lead_authority=chosen[0], term_start=start, by=by
    )
    kela = Organisation.objects.get(kind=Organisation.Kind.KELA)
    for organisation, role, person in (
        (chosen[0], GroupMember.Role.CHAIR, "Pekka Puheenjohtaja"),
        (pirkanmaa, GroupMember.Role.VICE_CHAIR, "Ville Varapuheenjohtaja"),
        (kela, GroupMember.Role.MEMBER, "Kaija Kela"),
    ):
        services.group_member_add(
            group=group,
            organisation=organisation,
            role=role,
            person_name=person,
            title="Johtaja",
            deputy_name=f"{person} (varajäsen)",
            deputy_title="Päällikkö",
            valid_from=start,
            by=member_namer(group, organisation, by),
        )
    return group


def tym_agreement(group, by, **kwargs):
    return terms.tym_agreement_start(
        group=group,
        by=by,
        title=kwargs.pop("title", f"TYM-sopimus {group.name}"),
        valid_from=kwargs.pop("valid_from", datetime.date(2026, 1, 1)),
        **kwargs,
    )


def complete(agreement, *, staff=None, costs=(("Tilat", "12000.00"), ("Tietojärjestelmät", "3000.00"))):
    """Fills every term so that every statutory check passes; ``staff`` maps party kind to FTEs."""
    TymAgreement.objects.filter(agreement=agreement).update(
        client_criteria="Monialaisen tuen tarve (381/2023 3 §).",
        client_process="Ohjaus tarpeen mukaan; suunnitelma kolmessa kuukaudessa; arviointi kolmen kuukauden välein.",
        staffing_review="Johtoryhmä arvioi henkilöstön riittävyyden vuosittain; sopimusta muutetaan tarvittaessa.",
        kela_participation=TymAgreement.KelaParticipation.OWN_STAFF,
    )
    location = ServiceLocation.objects.create(
        agreement=agreement,
        name="Monialainen palvelupiste",
        address="Hämeenkatu 1",
        municipality=Municipality.objects.get(code="837"),
        channels=["in_person", "video"],
    )
    staff = staff or {"employment_authority": ["3.5"], "county": ["2.5"], "kela": ["1"]}
    for party in agreement.parties.select_related("organisation"):
        for n, amount in enumerate(staff.get(party.organisation.kind, ["1"])):
            StaffRow.objects.create(
                agreement=agreement,
                party=party,
                position=n,
                title="Ohjaaja",
                amount=Decimal(amount),
                location=location,
                tasks="Asiakastyö",
            )
    for n, (name, amount) in enumerate(costs):
        CostItem.objects.create(agreement=agreement, position=n, name=name, annual_amount=Decimal(amount))
    return agreement
