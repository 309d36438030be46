"""Demo TYM steering groups and agreements, made through the real services (``manage.py demo``).

- Pirkanmaa's three steering groups, after the negotiation on their number and areas: Tampereen
  seutu (employment area 39), Läntinen Pirkanmaa (21) and Eteläinen Keski-Suomi (06, the employment
  area that spans Pirkanmaa and Keski-Suomi), each with its chair from the employment authority, its
  vice-chair from the county and a member from Kela, all with personal deputies.
- Tampereen seutu's TYM agreement with staff of all three parties, the joint costs split by the
  staff (the default of 381/2023 §10), Kela's participation stated and every statutory check
  passing, **submitted and awaiting the county coordinator's approval** (``pirkanmaa``).
- Päijät-Häme's single group of two employment authorities (Lahti, which leads it, and the
  Päijät-Häme employment area) and its TYM agreement, approved by the county and Kela, decided by
  each party (a committee, the county board, Kela's office holder), signed and **in force**.

The TYM terms are written as rows while the agreement is a draft, as the terms' own editing
services would write them; everything else (groups, members, start, submission, approvals,
decisions, signatures) goes through the services users reach from the pages. Safe to run again:
what exists is left as it is. The people and figures are illustrative.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agreements.demo_workflow import SIGNED_PAGE
from agreements.models import Agreement, Approval, Decision, Party
from agreements.services import workflow
from agreements.services.approvals import approval_record
from agreements.services.decisions import decision_record, legal_force_confirm
from agreements.services.signing import signatory_add, signature_record_outside
from regions.models import EmploymentArea, Municipality, Organisation, WellbeingCounty
from tym import permissions, services, terms
from tym.models import GroupMember, SteeringGroup, TymAgreement
from tym.terms import tym_agreement_start
from users.models import OrganisationRole, Role, User
from users.services import demo_users_write

TERM_START = datetime.date(2025, 2, 1)
VALID_FROM = datetime.date(2026, 1, 1)
TAMPERE_TITLE = "Tampereen seudun monialaisen tuen yhteistoimintasopimus 2026–2029"
PAIJAT_HAME_TITLE = "Päijät-Hämeen monialaisen tuen yhteistoimintasopimus 2026–2029"
PIRKANMAA_GROUPS = (
    # name, employment area, (chair, deputy), (vice-chair, deputy), (Kela's member, deputy)
    (
        "Tampereen seutu",
        "39",
        ("Jari Nieminen", "Riitta Lampinen"),
        ("Liisa Mäkinen", "Anna Virta"),
        ("Sanna Heikkinen", "Timo Salo"),
    ),
    (
        "Läntinen Pirkanmaa",
        "21",
        ("Tuula Salonen", "Ari Mäki"),
        ("Petri Lahtinen", "Eeva Karhu"),
        ("Minna Koskinen", "Timo Salo"),
    ),
    (
        "Eteläinen Keski-Suomi",
        "06",
        ("Harri Jokinen", "Leena Nurmi"),
        ("Kirsi Laine", "Olli Ranta"),
        ("Outi Hämäläinen", "Päivi Lindholm"),
    ),
)
PAIJAT_HAME_GROUP = "Päijät-Hämeen TYM-johtoryhmä"
# The Päijät-Häme people who log in: the county's coordinator and an official of Lahti's
# employment authority, which leads the group (printed with the other demo logins).
DEMO_USERS = [
    (
        "paijat-hame",
        "Heidi",
        "Rantanen",
        {"wellbeingcounty__code": "09"},
        Role.COORDINATOR,
        "coordinator of Päijät-Häme wellbeing services county",
    ),
    (
        "lahti-tyollisyys",
        "Antti",
        "Lehtonen",
        {"employmentarea__code": "19"},
        Role.OFFICIAL,
        "official of the Lahti employment authority",
    ),
]
Kind = Organisation.Kind


def demo_users_ensure() -> list[tuple[str, str]]:
    """The Päijät-Häme demo users, with the demo password; (username, what) pairs to print."""
    return demo_users_write(DEMO_USERS)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _kela() -> Organisation:
    return Organisation.objects.get(kind=Kind.KELA)


def member_namer(group: SteeringGroup, organisation: Organisation, fallback: User) -> User:
    """Who names ``organisation``'s member of ``group``: one of its own people in the portal if it
    has any (each organisation names its own), else ``fallback``, one of the group's managers."""
    for role in OrganisationRole.objects.filter(
        organisation=organisation.as_organisation, user__is_active=True
    ).select_related("user"):
        if permissions.names_member_for(role.user, group, organisation) == "own":
            return role.user
    return fallback


def _group(county: WellbeingCounty, name: str, codes: tuple[str, ...], members: list[tuple], by: User) -> SteeringGroup:
    """The group ``name`` of ``county``, set up with its members if it is not there yet."""
    existing = SteeringGroup.objects.filter(county=county, name=name, term_start=TERM_START).first()
    if existing is not None:
        return existing
    areas = [EmploymentArea.objects.get(code=code) for code in codes]
    group = services.steering_group_create(
        county=county, name=name, employment_areas=areas, lead_authority=areas[0], term_start=TERM_START, by=by
    )
    for organisation, role, person, title, deputy, deputy_title in members:
        services.group_member_add(
            group=group,
            organisation=organisation,
            role=role,
            person_name=person,
            title=title,
            deputy_name=deputy,
            deputy_title=deputy_title,
            valid_from=TERM_START,
            by=member_namer(group, organisation, by),
        )
    return group


def _negotiation(county: WellbeingCounty, groups: int, participants: str, outcome: str, by: User) -> None:
    if not county.tym_negotiations.exists():
        services.negotiation_record(
            county=county,
            held_on=datetime.date(2025, 1, 14),
            participants=participants,
            outcome=outcome,
            group_count=groups,
            by=by,
        )


@transaction.atomic
def demo_groups_ensure() -> list[SteeringGroup]:
    """Pirkanmaa's three steering groups, each with chair, vice-chair and Kela's member, and deputies."""
    coordinator = _user("pirkanmaa")
    pirkanmaa = WellbeingCounty.objects.get(code="08")
    _negotiation(
        pirkanmaa,
        3,
        "Pirkanmaan hyvinvointialue; Tampereen seudun, Läntisen Pirkanmaan ja Eteläisen Keski-Suomen "
        "työllisyysalueet; Kela",
        "Kolme johtoryhmää, yksi kunkin työllisyysalueen alueelle.",
        coordinator,
    )
    groups = []
    for name, code, chair, vice_chair, kela_member in PIRKANMAA_GROUPS:
        area = EmploymentArea.objects.get(code=code)
        groups.append(
            _group(
                pirkanmaa,
                name,
                (code,),
                [
                    (area, GroupMember.Role.CHAIR, chair[0], "Työllisyysjohtaja", chair[1], "Palvelupäällikkö"),
                    (
                        pirkanmaa,
                        GroupMember.Role.VICE_CHAIR,
                        vice_chair[0],
                        "Palvelujohtaja",
                        vice_chair[1],
                        "Päällikkö",
                    ),
                    (
                        _kela(),
                        GroupMember.Role.MEMBER,
                        kela_member[0],
                        "Ryhmäpäällikkö",
                        kela_member[1],
                        "Asiantuntija",
                    ),
                ],
                coordinator,
            )
        )
    return groups


def _terms_write(
    agreement: Agreement,
    municipality: Municipality,
    staff: dict[int, list[tuple[str, str, str]]],
    costs: list[tuple[str, str]],
    by: User,
) -> None:
    """The agreement's terms while it is a draft, written by its drafter through the terms' services;
    ``staff`` maps a party's organisation id to its rows (title, FTE, tasks), all of them working at
    the service location in ``municipality``."""
    terms.service_terms_update(
        agreement=agreement,
        by=by,
        client_criteria="Asiakkaalla on monialaisen tuen tarve: työllistymisen esteet edellyttävät "
        "työllisyys-, sosiaali- ja terveys- sekä kuntoutuspalvelujen yhteensovittamista (381/2023 3 §).",
        client_process="Ohjaus monialaiseen tukeen tarpeen mukaan; yhteinen suunnitelma kolmen kuukauden "
        "kuluessa; suunnitelman toteutumista arvioidaan vähintään kolmen kuukauden välein; tuki päättyy "
        "yhteiseen arvioon.",
    )
    terms.staff_basis_update(agreement=agreement, by=by, staff_basis=TymAgreement.StaffBasis.FTE, expected_clients=600)
    terms.staffing_review_update(
        agreement=agreement,
        by=by,
        staffing_review="Johtoryhmä arvioi henkilöstön riittävyyden vuosittain syyskuussa; "
        "jos resurssitarve muuttuu, sopimusta muutetaan osapuolten kirjallisella päätöksellä.",
    )
    terms.kela_participation_update(
        agreement=agreement,
        by=by,
        kela_participation=TymAgreement.KelaParticipation.OWN_STAFF,
        kela_terms="Kela osallistuu omalla henkilöstöllään ja vastaa sen kustannuksista.",
    )
    location = terms.service_location_save(
        agreement=agreement,
        by=by,
        name="Monialaisen tuen palvelupiste",
        address="Keskuskatu 1",
        municipality=municipality,
        channels=["in_person", "networked", "video"],
    )
    terms.service_location_save(agreement=agreement, by=by, name="Puhelinpalvelu", channels=["phone"])
    for party in agreement.parties.order_by("position"):
        for title, amount, tasks in staff[party.organisation_id]:
            terms.staff_row_save(
                agreement=agreement,
                by=by,
                party=party,
                title=title,
                amount=Decimal(amount),
                location=location,
                tasks=tasks,
            )
    for name, amount in costs:
        terms.cost_item_save(agreement=agreement, by=by, name=name, annual_amount=Decimal(amount))


def _agreement(group: SteeringGroup, by: User, title: str, municipality: str, staff, costs) -> Agreement:
    agreement = tym_agreement_start(group=group, by=by, title=title, valid_from=VALID_FROM)
    _terms_write(agreement, Municipality.objects.get(code=municipality), staff, costs, by)
    return agreement


COORDINATOR_ROWS = [("Työllisyysasiantuntija", "4", "Asiakkaan työllistymisen tuki ja palveluohjaus")]
COUNTY_ROWS = [
    ("Sosiaaliohjaaja", "3", "Sosiaalihuollon palvelutarpeen arviointi"),
    ("Terveydenhoitaja", "1.5", "Terveydentilan ja työkyvyn arviointi"),
]
KELA_ROWS = [("Kuntoutusasiantuntija", "1", "Kelan kuntoutus ja etuudet")]
COSTS = [("Palvelupisteen tilat", "48000.00"), ("Yhteiset tietojärjestelmät ja laitteet", "9500.00")]


@transaction.atomic
def demo_tampere_ensure() -> Agreement:
    """Tampereen seutu's TYM agreement, every check passing, submitted: awaiting the county's approval."""
    existing = Agreement.objects.filter(title=TAMPERE_TITLE).first()
    if existing:
        return existing
    group = SteeringGroup.objects.get(county__code="08", name="Tampereen seutu")
    drafter = _user("tampereen-seutu")
    staff = {
        EmploymentArea.objects.get(code="39").pk: COORDINATOR_ROWS,
        group.county_id: COUNTY_ROWS,
        _kela().pk: KELA_ROWS,
    }
    agreement = _agreement(group, drafter, TAMPERE_TITLE, "837", staff, COSTS)
    return workflow.transition(agreement=agreement, to=Agreement.Status.SUBMITTED, by=drafter)


def _party(agreement: Agreement, organisation: Organisation) -> Party:
    party = agreement.parties.select_related("organisation").get(organisation=organisation.as_organisation)
    party.agreement = agreement
    return party


@transaction.atomic
def demo_paijat_hame_ensure() -> Agreement:
    """Päijät-Häme's one group of two employment authorities and its TYM agreement, in force."""
    existing = Agreement.objects.filter(title=PAIJAT_HAME_TITLE).first()
    if existing:
        return existing
    coordinator, official, kela_user = _user("paijat-hame"), _user("lahti-tyollisyys"), _user("kela")
    county = WellbeingCounty.objects.get(code="09")
    lahti, paijat_hame, kela = EmploymentArea.objects.get(code="19"), EmploymentArea.objects.get(code="31"), _kela()
    _negotiation(
        county,
        1,
        "Päijät-Hämeen hyvinvointialue; Lahden ja Päijät-Hämeen työllisyysalueet; Kela",
        "Yksi johtoryhmä koko hyvinvointialueelle; Lahden kaupunki asettaa sen ja nimeää puheenjohtajan.",
        coordinator,
    )
    group = _group(
        county,
        PAIJAT_HAME_GROUP,
        ("19", "31"),
        [
            (
                lahti,
                GroupMember.Role.CHAIR,
                "Antti Lehtonen",
                "Työllisyysjohtaja",
                "Riikka Mattila",
                "Palvelupäällikkö",
            ),
            (
                county,
                GroupMember.Role.VICE_CHAIR,
                "Heidi Rantanen",
                "Palvelujohtaja",
                "Jukka Aalto",
                "Sosiaalityön johtaja",
            ),
            (
                paijat_hame,
                GroupMember.Role.MEMBER,
                "Sari Kallio",
                "Työllisyyspäällikkö",
                "Mika Peltonen",
                "Tiimiesihenkilö",
            ),
            (kela, GroupMember.Role.MEMBER, "Sanna Heikkinen", "Palveluryhmän päällikkö", "Timo Salo", "Asiantuntija"),
        ],
        coordinator,
    )
    staff = {
        lahti.pk: COORDINATOR_ROWS,
        paijat_hame.pk: [("Työllisyysasiantuntija", "2", "Asiakkaan työllistymisen tuki ja palveluohjaus")],
        county.pk: COUNTY_ROWS,
        kela.pk: KELA_ROWS,
    }
    agreement = _agreement(group, official, PAIJAT_HAME_TITLE, "398", staff, COSTS)
    agreement = workflow.transition(agreement=agreement, to=Agreement.Status.SUBMITTED, by=official)
    for by in (coordinator, kela_user):  # the county's coordinator, then Kela's representative
        approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=by)
    agreement.refresh_from_db()
    agreement = workflow.transition(agreement=agreement, to=Agreement.Status.IN_DECISION, by=official)
    # Who decides for each party (and records it), and who signs: the Päijät-Häme employment area
    # has nobody in the portal, so the lead authority's official enters its committee's decision.
    deciders = [
        (lahti, official, Decision.Body.COMMITTEE, "Elinvoima- ja työllisyyslautakunta", "Työllisyysjohtaja", "Lahti"),
        (
            paijat_hame,
            official,
            Decision.Body.COMMITTEE,
            "Päijät-Hämeen työllisyysalueen lautakunta",
            "Kunnanjohtaja",
            "Hollola",
        ),
        (county, coordinator, Decision.Body.REGIONAL_BOARD, "Aluehallitus", "Hyvinvointialuejohtaja", "Lahti"),
        (
            kela,
            kela_user,
            Decision.Body.OFFICE_HOLDER,
            "Kelan palvelulinjan johtaja",
            "Palvelulinjan johtaja",
            "Helsinki",
        ),
    ]
    names = ["Pekka Rinne", "Kaisa Holm", "Marja Sirola", "Jussi Aro"]
    for n, (organisation, by, body, body_name, _title, _place) in enumerate(deciders):
        decided_on = _days_ago(80 - n)
        proposed = body != Decision.Body.OFFICE_HOLDER
        decision = decision_record(
            party=_party(agreement, organisation),
            by=by,
            body=body,
            body_name=body_name,
            diary_number=f"TYM/{decided_on.year}/{210 + n}",
            proposal_body="Esittelijä" if proposed else "",
            proposal_date=decided_on - datetime.timedelta(days=14) if proposed else None,
            proposal_section=str(100 + n) if proposed else "",
            decided_on=decided_on,
            section=str(30 + n),
            outcome=Decision.Outcome.APPROVED,
            minutes_url=f"https://paatokset.example.fi/tym/{decided_on:%Y%m%d}/{n}",
            minutes_published_on=decided_on + datetime.timedelta(days=2),
        )
        legal_force_confirm(decision=decision, by=by)
    agreement = workflow.transition(agreement=agreement, to=Agreement.Status.SIGNING, by=official)
    for (organisation, by, _body, _name, title, place), name in zip(deciders, names, strict=True):
        signatory = signatory_add(
            party=_party(agreement, organisation), by=by, name=name, title=title, authority="Hallintosääntö"
        )
        signature_record_outside(
            signatory=signatory,
            by=by,
            signed_on=timezone.localdate(),
            place=place,
            upload=SimpleUploadedFile("allekirjoitus.pdf", SIGNED_PAGE, content_type="application/pdf"),
        )
    agreement.refresh_from_db()
    return agreement


def demo_tym_ensure() -> tuple[list[tuple[str, str]], list[Agreement]]:
    """Every TYM demo: the Päijät-Häme users to print and the agreements (Tampere's, Päijät-Häme's)."""
    users = demo_users_ensure()
    demo_groups_ensure()
    return users, [demo_tampere_ensure(), demo_paijat_hame_ensure()]
