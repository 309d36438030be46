"""Reads for the signatures page and the home page's awaited signatures."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agreements import permissions
from agreements.models import Agreement, Party, Signatory
from agreements.permissions import UserLike
from agreements.services import signing
from users.models import OrganisationRole, Role, User


@dataclass
class PartySignatures:
    party: Party
    signatories: list[Signatory]
    can_name: bool
    candidates: list[User] = field(default_factory=list)  # the organisation's signatory users


def party_signatures(*, agreement: Agreement, user: UserLike) -> list[PartySignatures]:
    """Every party of the agreement with its signatories (and their signatures), what ``user`` may do
    for it and the portal users who may be named to sign for it. A fixed number of queries however
    many parties and signatories there are."""
    signatories = Signatory.objects.select_related("signature", "user").order_by("position", "pk")
    parties = list(
        agreement.parties.select_related("organisation")
        .annotate(has_officials=Exists(permissions.decision_recorder_grants(OuterRef("organisation_id"))))
        .prefetch_related(Prefetch("signatories", queryset=signatories))
    )
    for party in parties:
        party.agreement = agreement
    permissions.prefetch_organisation_perms(user, agreement, parties)
    blocks = [
        PartySignatures(
            party=party,
            signatories=list(party.signatories.all()),
            can_name=permissions.can_name_signatories(user, party),
        )
        for party in parties
    ]
    namers = {block.party.organisation_id for block in blocks if block.can_name}
    if namers:
        roles = (
            OrganisationRole.objects.filter(organisation__in=namers, role=Role.SIGNATORY)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        by_organisation: dict[int, list[User]] = {}
        for role in roles:
            by_organisation.setdefault(role.organisation_id, []).append(role.user)
        for block in blocks:
            block.candidates = by_organisation.get(block.party.organisation_id, [])
    return blocks


def signatory_candidates(party: Party) -> QuerySet[User]:
    """The portal users who may be named to sign for ``party``: its organisation's signatories."""
    return User.objects.filter(
        organisation_roles__organisation=party.organisation_id, organisation_roles__role=Role.SIGNATORY
    ).order_by("last_name", "first_name", "username")


def home_signatures(*, user: UserLike) -> list[Signatory] | None:
    """The signatures awaited of ``user``: agreements being signed where they are a named signatory
    who has not signed. None (the section hidden) when none awaits. One query."""
    if not user.is_authenticated:
        return None
    awaited = list(
        Signatory.objects.filter(
            signing.signable("party__agreement__"),
            user=user,
            signature__isnull=True,
            party__organisation__user_roles__user=user,
            party__organisation__user_roles__role=Role.SIGNATORY,
        )
        .select_related("party__agreement")
        .order_by("party__agreement__title", "pk")
        .distinct()
    )
    return awaited or None
