"""The statutory checks of a TYM agreement (381/2023 §9, decree 388/2024 §3), shown on the agreement.

``statutory_checks`` is the kind's ``checks`` hook: submission for approval is refused while any of
them fails (``agreements.services.workflow``). Each check reads the agreement as it stands, in a
fixed number of queries. ``typ_threshold_warning`` is advice, not a check: it never blocks.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.kinds import Check
from agreements.models import Agreement
from regions.models import Organisation
from tym import costs
from tym.models import AuthorityShare, CostItem, GroupMember, ServiceLocation, StaffRow, TymAgreement
from tym.selectors import operating_area_on

Kind = Organisation.Kind

LABELS = {
    "authority": gettext_lazy("At least one employment authority is a party"),
    "county": gettext_lazy("The county is a party"),
    "kela": gettext_lazy("Kela is a party"),
    "chair": gettext_lazy("The group's chair is from an employment authority"),
    "vice_chair": gettext_lazy("The group's vice-chair is from the county"),
    "deputies": gettext_lazy("Every member of the group has a personal deputy"),
    "area": gettext_lazy("The group's area is covered"),
    "service": gettext_lazy("How the service is arranged (decree §3, 1)"),
    "staff": gettext_lazy("Each party's staff (decree §3, 2)"),
    "review": gettext_lazy("The yearly staffing review (decree §3, 3)"),
    "costs": gettext_lazy("The split of costs between the employment authorities and the county (decree §3, 4)"),
    "kela_costs": gettext_lazy("Kela's participation in the costs (decree §3, 5)"),
    "shares": gettext_lazy("The cost shares add up to 100 %"),
    "validity": gettext_lazy("The agreement is valid within the group's term"),
}


def check_day(agreement: Agreement) -> datetime.date:
    """The day the group is checked on: the agreement's start, or today once it has started."""
    return max(agreement.valid_from, timezone.localdate())


def statutory_checks(agreement: Agreement) -> list[Check]:
    terms = TymAgreement.objects.select_related("group").filter(agreement=agreement).first()
    if terms is None:  # an agreement of this kind always has its terms; a broken import would not
        return [Check("terms", gettext_lazy("The TYM terms"), _("The agreement has no TYM terms."))]
    group = terms.group
    day = check_day(agreement)
    parties = list(agreement.parties.select_related("organisation"))
    kinds_present = {p.organisation.kind for p in parties}
    party_ids = {p.organisation_id for p in parties}
    group_areas = sorted(group.employment_areas.all(), key=lambda a: a.code)
    group_area_ids = {a.pk for a in group_areas}
    members = [m for m in GroupMember.objects.filter(group=group) if m.valid_from <= day < m.valid_until]
    staff = list(StaffRow.objects.filter(agreement=agreement))
    items = list(CostItem.objects.filter(agreement=agreement))
    problems: dict[str, str | None] = dict.fromkeys(LABELS)

    # Each check reports what is its own: a problem that follows from another check's is left to it
    # (no employment authority at all is not also reported as each of the group's missing, nor a
    # split that cannot be made for want of a party or of staff as the shares not adding up).
    if Kind.EMPLOYMENT_AUTHORITY not in kinds_present:
        problems["authority"] = _("No employment authority is a party; the group's are: %(names)s.") % {
            "names": ", ".join(str(a) for a in group_areas)
        }
    if group.county_id not in party_ids:
        problems["county"] = _("The group's county %(county)s is not a party.") % {"county": group.county}
    if Kind.KELA not in kinds_present:
        problems["kela"] = _("Kela is not a party.")
    Role = GroupMember.Role
    chairs = [m for m in members if m.role == Role.CHAIR]
    if not chairs:
        problems["chair"] = _("The group has no chair on %(day)s.") % {"day": f"{day:%-d.%-m.%Y}"}
    elif any(m.organisation_id not in group_area_ids for m in chairs):
        problems["chair"] = _("The chair does not represent an employment authority of the group.")
    vice_chairs = [m for m in members if m.role == Role.VICE_CHAIR]
    if not vice_chairs:
        problems["vice_chair"] = _("The group has no vice-chair on %(day)s.") % {"day": f"{day:%-d.%-m.%Y}"}
    elif any(m.organisation_id != group.county_id for m in vice_chairs):
        problems["vice_chair"] = _("The vice-chair does not represent the county.")
    seated = [m for m in members if m.role in GroupMember.SEATED_ROLES]
    without = [m.person_name for m in seated if not m.deputy_name.strip()]
    if not seated:
        problems["deputies"] = _("The group has no members on %(day)s.") % {"day": f"{day:%-d.%-m.%Y}"}
    elif without:
        problems["deputies"] = _("No personal deputy: %(names)s.") % {"names": ", ".join(without)}
    missing_areas = [a for a in group_areas if a.pk not in party_ids]
    if missing_areas and not problems["authority"]:
        problems["area"] = _("Employment authorities of the group are not parties: %(names)s.") % {
            "names": ", ".join(str(a) for a in missing_areas)
        }
    elif not operating_area_on(group, day):
        problems["area"] = _("The group's employment areas have no municipality in the county on %(day)s.") % {
            "day": f"{day:%-d.%-m.%Y}"
        }
    if not ServiceLocation.objects.filter(agreement=agreement).exists():
        problems["service"] = _("Add at least one service location.")
    elif not terms.client_process.strip():
        problems["service"] = _("Describe the client process.")
    with_staff = {row.party_id for row in staff}
    no_staff = [p.official_name for p in parties if p.pk not in with_staff]
    if not staff:
        problems["staff"] = _("No staff entered.")
    elif no_staff:
        problems["staff"] = _("No staff entered for %(names)s.") % {"names": ", ".join(no_staff)}
    if not terms.staffing_review.strip():
        problems["review"] = _("Say how the staffing is reviewed every year and the agreement amended.")
    if not items:
        problems["costs"] = _("Enter the joint costs other than staff, each with its annual amount.")
    participation = terms.kela_participation
    if not participation:
        problems["kela_costs"] = _("State how Kela takes part in the costs, even when it takes none.")
    elif participation == TymAgreement.KelaParticipation.CONTRIBUTION and not terms.kela_contribution:
        problems["kela_costs"] = _("Give Kela's annual contribution in euros.")
    split = costs.cost_split(
        agreement,
        terms=terms,
        parties=parties,
        staff=staff,
        items=items,
        authority_shares=list(AuthorityShare.objects.filter(agreement=agreement)),
    )
    left_to_others = [
        problem
        for cause, problem in split.wanting.items()
        if (cause == "parties" and (problems["authority"] or problems["county"]))
        or (cause == "staff" and problems["staff"])
    ]
    own = [problem for problem in split.problems if problem not in left_to_others]
    if own:
        problems["shares"] = " ".join(own)
    if not group.contains(agreement.valid_from, agreement.valid_until):
        problems["validity"] = _("The group's term is %(start)s–%(end)s; the agreement must be valid within it.") % {
            "start": f"{group.term_start:%-d.%-m.%Y}",
            "end": f"{group.term_last_day:%-d.%-m.%Y}",
        }
    return [Check(key, LABELS[key], problem) for key, problem in problems.items()]


# The predecessor model's (TYP) entry thresholds: 300 days of unemployment benefit, or 6 or 12 months
# (half a year, a year) of unemployment. They are gone; referral is by need (381/2023 §3). Finnish
# inflects the numbers and compounds the nouns: "kuuden kuukauden", "300 työttömyyspäivää".
_TYP_PATTERNS = (
    r"\b300\s*[-–]?\s*\w*(päiv|pv\b|days?\b|dag)",
    r"\b(6|12|kuusi|kuuden|kuutta|kaksitoista|kahdentoista|kahtatoista|six|twelve|sex|tolv)"
    r"\s*[-–]?\s*(kk\b|kuuka|months?\b|månad)",
    r"\b(puoli|puolen|yksi|yhden|yli|one|ett|halvt)\s*(vuo(si|den|tta)|years?\b|år\b)",
)


def typ_threshold_warning(criteria: str) -> str | None:
    """A warning when the client criteria use the repealed TYP thresholds as entry conditions."""
    text = criteria.lower()
    if any(re.search(pattern, text) for pattern in _TYP_PATTERNS):
        return _(
            "The client criteria seem to use the repealed TYP thresholds (300 days, or 6 or 12 months of "
            "unemployment) as entry conditions. Referral is by the need for multi-sector support (381/2023 §3)."
        )
    return None
