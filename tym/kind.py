"""The TYM agreement as a kind of agreement: what it plugs into ``agreements.kinds``.

Its parties are the organisations of a steering group's area (every employment authority of the
group, the county and Kela). The employment authorities' officials draft it (they edit; the lead
authority's people organise it: they run its workflow), the county's coordinators and then Kela's
representatives approve it before its text is frozen, and each party's decision and signatures
follow as for every agreement, made by the authority's committee, the county's board or a
delegated office holder, and Kela's director (an office holder).
"""

from django.utils.translation import gettext_lazy as _

from agreements import kinds
from agreements.models import Agreement, Decision
from agreements.permissions import APPROVE, COMMENT, EDIT, PARTY_PERMISSIONS_BY_ROLE, VIEW
from regions.models import Organisation
from tym import bundle, editions, parts
from tym.checks import statutory_checks
from tym.template import SECTIONS
from users.models import Role

KEY = "tym"
Kind = Organisation.Kind


def party_permissions(agreement: Agreement, organisation: Organisation) -> dict[str, tuple[str, ...]]:
    """The authorities' officials and coordinators draft; the county's coordinators and Kela's people
    approve; everyone of a party reads and comments (signatories and organisation admins as usual)."""
    if organisation.kind == Kind.EMPLOYMENT_AUTHORITY:
        return PARTY_PERMISSIONS_BY_ROLE
    readers = {Role.SIGNATORY: (VIEW, COMMENT), Role.ADMIN: (VIEW,)}
    if organisation.kind == Kind.COUNTY:
        return {Role.OFFICIAL: (VIEW, COMMENT), Role.COORDINATOR: (VIEW, COMMENT, APPROVE), **readers}
    if organisation.kind == Kind.KELA:
        return {Role.OFFICIAL: (VIEW, COMMENT, APPROVE), Role.COORDINATOR: (VIEW, COMMENT, APPROVE), **readers}
    return {Role.OFFICIAL: (VIEW, COMMENT), Role.COORDINATOR: (VIEW, COMMENT), **readers}


def organisers(agreement: Agreement) -> list[tuple[Organisation, str]]:
    """The lead employment authority of the group (which set it up) organises the agreement."""
    lead = agreement.tym.group.lead_authority
    return [(lead, Role.OFFICIAL), (lead, Role.COORDINATOR)]


assert EDIT in PARTY_PERMISSIONS_BY_ROLE[Role.OFFICIAL]  # the authorities' officials are its editors

TYM = kinds.AgreementKind(
    key=KEY,
    label=_("TYM agreement (multi-sector support)"),
    sections=SECTIONS,
    parts=parts.PARTS,
    party_permissions=party_permissions,
    organisers=organisers,
    checks=statutory_checks,
    approval_steps=(
        kinds.ApprovalStep("county", _("The county's coordinator"), Kind.COUNTY),
        kinds.ApprovalStep("kela", _("Kela's representative"), Kind.KELA),
    ),
    canonical=parts.canonical_terms,
    text_models=(
        "tym.TymAgreement",
        "tym.ServiceLocation",
        "tym.StaffRow",
        "tym.CostItem",
        "tym.AuthorityShare",
    ),
    copy_edition=editions.copy_edition,
    bundle_export=bundle.bundle_export,
    bundle_import=bundle.bundle_import,
    decision_bodies=(Decision.Body.COMMITTEE, Decision.Body.REGIONAL_BOARD, Decision.Body.OFFICE_HOLDER),
)
