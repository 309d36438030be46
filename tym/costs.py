"""The split of a TYM agreement's joint costs (381/2023 §10; decree 388/2024 §3 (4) and (5)).

Each party bears its own staff. The other joint costs (``CostItem``), less what Kela agreed to pay
towards them, are split between the employment authorities and the county (counties): by default
in proportion to the staff taking part (the staff table, counted as the agreement says: FTE or
persons); with an agreed key, the county side takes its stated percent and the authorities the
rest, split among several authorities by their staff, equally or by agreed percentages. Shares are
rounded to the cent by the largest remainder, so the euros always add up to the total exactly.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from agreements.models import Agreement, Party
from regions.models import Organisation
from tym.models import AuthorityShare, CostItem, StaffRow, TymAgreement

AUTHORITY, COUNTY, KELA = (
    Organisation.Kind.EMPLOYMENT_AUTHORITY,
    Organisation.Kind.COUNTY,
    Organisation.Kind.KELA,
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Share:
    party: Party
    euros: Decimal
    percent: Decimal  # of the costs split between the authorities and the county, two decimals
    staff: Decimal  # the party's staff, in the agreement's unit


@dataclass
class CostSplit:
    total: Decimal  # every joint cost a year
    kela: Decimal  # what Kela pays towards them a year
    split: Decimal  # what the authorities and the county split: total less Kela's part
    shares: list[Share] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def adds_up(self) -> bool:
        return not self.problems


def _largest_remainder(weights: dict[int, Fraction], amount: Decimal, unit: Decimal) -> dict[int, Decimal]:
    """``amount`` split by ``weights`` (summing to 1) into multiples of ``unit`` that add up exactly."""
    units = int(amount / unit)
    exact = {key: w * units for key, w in weights.items()}
    floors = {key: int(v) for key, v in exact.items()}
    left = units - sum(floors.values())
    # Ties go to the party listed first, so the same agreement always rounds the same way.
    order = sorted(exact, key=lambda key: (-(exact[key] - floors[key]), list(weights).index(key)))
    for key in order[:left]:
        floors[key] += 1
    return {key: unit * n for key, n in floors.items()}


def _by(values: dict[int, Fraction]) -> dict[int, Fraction] | None:
    total = sum(values.values())
    return {key: v / total for key, v in values.items()} if total else None


def cost_split(
    agreement: Agreement,
    *,
    terms: TymAgreement | None = None,
    parties: list[Party] | None = None,
    staff: list[StaffRow] | None = None,
    items: list[CostItem] | None = None,
    authority_shares: list[AuthorityShare] | None = None,
) -> CostSplit:
    """The split as it stands; what a page already read may be passed in instead of being queried."""
    terms = terms if terms is not None else TymAgreement.objects.get(agreement=agreement)
    parties = parties if parties is not None else list(agreement.parties.select_related("organisation"))
    staff = staff if staff is not None else list(StaffRow.objects.filter(agreement=agreement))
    items = items if items is not None else list(CostItem.objects.filter(agreement=agreement))
    if authority_shares is None:
        authority_shares = list(AuthorityShare.objects.filter(agreement=agreement))
    total = sum((item.annual_amount for item in items), Decimal("0.00"))
    kela = Decimal("0.00")
    problems: list[str] = []
    if terms.kela_participation == TymAgreement.KelaParticipation.CONTRIBUTION:
        kela = terms.kela_contribution or Decimal("0.00")
        if kela > total:
            problems.append(_("Kela's contribution is more than the joint costs."))
            kela = total
    rest = total - kela
    staff_of: dict[int, Decimal] = {}
    for row in staff:
        staff_of[row.party_id] = staff_of.get(row.party_id, Decimal(0)) + row.amount
    authorities = [p for p in parties if p.organisation.kind == AUTHORITY]
    counties = [p for p in parties if p.organisation.kind == COUNTY]
    if not authorities or not counties:
        problems.append(
            _("The joint costs are split between the employment authorities and the county: both must be parties.")
        )
        return CostSplit(total=total, kela=kela, split=rest, problems=problems)

    def staff_weights(group: list[Party]) -> dict[int, Fraction]:
        return {p.pk: Fraction(staff_of.get(p.pk, Decimal(0))) for p in group}

    weights: dict[int, Fraction] | None
    Key, Split = TymAgreement.CostKey, TymAgreement.AuthoritySplit
    if terms.cost_key == Key.STAFF:
        weights = _by(staff_weights([*authorities, *counties]))
        if weights is None:
            problems.append(
                _(
                    "The default split follows the staff, and the employment authorities and the county "
                    "have no staff entered."
                )
            )
    else:
        if terms.cost_key == Key.CUSTOM and not (terms.cost_key_name.strip() and terms.cost_key_basis.strip()):
            problems.append(_("An agreed key of its own needs its name and its basis."))
        if terms.county_percent is None:
            problems.append(_("Give the county's share of the joint costs in percent."))
            weights = None
        else:
            county_side = Fraction(terms.county_percent) / 100
            # Several counties share the county side by their staff, or equally when none is entered.
            among_counties = _by(staff_weights(counties)) or {p.pk: Fraction(1, len(counties)) for p in counties}
            if len(authorities) == 1:
                among_authorities = {authorities[0].pk: Fraction(1)}
            elif terms.authority_split == Split.STAFF:
                among_authorities = _by(staff_weights(authorities))
                if among_authorities is None:
                    problems.append(
                        _("The employment authorities' share follows their staff, and they have none entered.")
                    )
            elif terms.authority_split == Split.EQUAL:
                among_authorities = {p.pk: Fraction(1, len(authorities)) for p in authorities}
            else:
                given = {s.party_id: Fraction(s.percent) for s in authority_shares}
                missing = [p.official_name for p in authorities if p.pk not in given]
                if missing:
                    problems.append(
                        _("Give the share of every employment authority: %(names)s.") % {"names": ", ".join(missing)}
                    )
                    among_authorities = None
                elif (given_sum := sum(given[p.pk] for p in authorities)) != 100:
                    # A Fraction takes no format spec before Python 3.12: shown through Decimal.
                    shown = Decimal(given_sum.numerator) / Decimal(given_sum.denominator)
                    problems.append(
                        _("The employment authorities' shares add up to %(sum)s %%, not 100 %%.")
                        % {"sum": f"{shown:.2f}".replace(".", ",")}
                    )
                    among_authorities = None
                else:
                    among_authorities = {p.pk: given[p.pk] / 100 for p in authorities}
            weights = None
            if among_authorities is not None:
                weights = {key: w * (1 - county_side) for key, w in among_authorities.items()}
                weights.update({key: w * county_side for key, w in among_counties.items()})
    if weights is None or problems:
        return CostSplit(total=total, kela=kela, split=rest, problems=problems)
    euros = _largest_remainder(weights, rest, CENT)
    percents = _largest_remainder(weights, Decimal(100), CENT)
    shares = [
        Share(party=p, euros=euros[p.pk], percent=percents[p.pk], staff=staff_of.get(p.pk, Decimal(0)))
        for p in [*authorities, *counties]
    ]
    return CostSplit(total=total, kela=kela, split=rest, shares=shares, problems=problems)
