"""Who may do what with an agreement. Views and services ask here; nothing else asks guardian.

Permissions are granted on each agreement to the role groups of its parties' organisations (see
``PARTY_PERMISSIONS_BY_ROLE``, or its kind's rule) and, for managing it, to its organisers (the
coordinators of its county, or whom its kind names: ``organisers_of``).
"""

import functools
from collections.abc import Iterable
from typing import Literal

from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from guardian.core import ObjectPermissionChecker

from agreements import kinds
from agreements.models import Agreement, AgreementGroupObjectPermission, AgreementUserObjectPermission, Party
from regions.models import Organisation, WellbeingCounty
from users.models import Role, User
from users.permissions import grant_to_many_roles, grant_to_roles, revoke_from_roles

VIEW, COMMENT, EDIT, MANAGE, APPROVE = (
    "agreements.view_agreement",
    "agreements.comment_agreement",
    "agreements.edit_agreement",
    "agreements.manage_agreement",
    "agreements.approve_agreement",
)
PARTY_PERMISSIONS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.OFFICIAL: (VIEW, COMMENT, EDIT),
    Role.COORDINATOR: (VIEW, COMMENT, EDIT),
    Role.SIGNATORY: (VIEW, COMMENT),
    Role.ADMIN: (VIEW,),
}
ORGANISER_PERMISSIONS: tuple[str, ...] = (VIEW, COMMENT, EDIT, MANAGE)
START = "regions.start_agreement"

UserLike = User | AnonymousUser


def _forget(agreement: Agreement) -> None:
    agreement.__dict__.pop("_standing", None)
    agreement.__dict__.pop("standing_of", None)


def _party_permissions(agreement: Agreement, organisation: Organisation) -> dict[str, tuple[str, ...]]:
    """What each role of a party's organisation holds on the agreement: its kind's rule, or the default."""
    rule = kinds.of(agreement).party_permissions
    return rule(agreement, organisation) if rule else PARTY_PERMISSIONS_BY_ROLE


def party_grant(*, agreement: Agreement, organisation: Organisation) -> None:
    parties_grant(agreement=agreement, organisations=[organisation])


def parties_grant(*, agreement: Agreement, organisations: Iterable[Organisation]) -> None:
    """``party_grant`` for many parties' organisations at once (one insert)."""
    _forget(agreement)
    grant_to_many_roles(
        obj=agreement,
        grants=[
            (organisation, role, perms)
            for organisation in organisations
            for role, perms in _party_permissions(agreement, organisation).items()
        ],
    )


def party_revoke(*, agreement: Agreement, organisation: Organisation) -> None:
    _forget(agreement)
    for role, perms in _party_permissions(agreement, organisation).items():
        revoke_from_roles(perms=perms, obj=agreement, organisation=organisation, role=role)


def organisers_of(agreement: Agreement) -> list[tuple[Organisation, str]]:
    """Who manages the agreement: its kind's organisers, or the organising county's coordinators."""
    rule = kinds.of(agreement).organisers
    return rule(agreement) if rule else [(agreement.county, Role.COORDINATOR)]


def organiser_grant(*, agreement: Agreement) -> None:
    """Grants the organisers (``organisers_of``: the kind's rule) what managing the agreement takes."""
    _forget(agreement)
    for organisation, role in organisers_of(agreement):
        grant_to_roles(perms=ORGANISER_PERMISSIONS, obj=agreement, organisation=organisation, role=role)


def organisers_changed(*, agreement: Agreement, before: list[tuple[Organisation, str]]) -> None:
    """After what the kind's organisers rule reads has changed: ``before``'s organiser permissions
    are revoked, the parties' own granted again (an organiser is often a party too: the revoke took
    the rows both grants share) and the organisers' now."""
    _forget(agreement)
    for organisation, role in before:
        revoke_from_roles(perms=ORGANISER_PERMISSIONS, obj=agreement, organisation=organisation, role=role)
    for party in agreement.parties.select_related("organisation"):
        party_grant(agreement=agreement, organisation=party.organisation)
    organiser_grant(agreement=agreement)


def can_start_agreement(user: UserLike, county: WellbeingCounty) -> bool:
    return user.has_perm(START, county.as_organisation)


def counties_startable_by(user: UserLike, coordinated: Iterable[WellbeingCounty]) -> list[WellbeingCounty]:
    """Of the counties the user coordinates, those whose agreements they may start."""
    return [county for county in coordinated if can_start_agreement(user, county)]


# A reader's standing in an agreement: the permissions guardian grants them on it (to them or to
# their groups) and the parties they speak for. Every agreement page needs both, so they are read as
# columns of the query that fetches the agreement (``get_agreement_for_user``), not in queries of
# their own. The permissions come as a bit mask of the agreement's permission codenames.
_GRANTED_SQL = """SELECT coalesce(sum(DISTINCT g.bit), 0) FROM (
  SELECT {bit} AS bit FROM {permission} p JOIN {by_user} o ON o.permission_id = p.id
   WHERE p.content_type_id = %s AND o.content_object_id = {agreement}.id AND o.user_id = %s
  UNION
  SELECT {bit} AS bit FROM {permission} p JOIN {by_group} o ON o.permission_id = p.id
    JOIN {memberships} m ON m.group_id = o.group_id
   WHERE p.content_type_id = %s AND o.content_object_id = {agreement}.id AND m.user_id = %s
) g"""
_PARTIES_SQL = """SELECT {aggregate} FROM {party} p
 WHERE p.agreement_id = {agreement}.id
   AND EXISTS (SELECT 1 FROM {role} r WHERE r.organisation_id = p.organisation_id AND r.user_id = %s)"""
_ID_LIST = {"postgresql": "string_agg(p.id::text, ',')", "sqlite": "group_concat(p.id, ',')"}


def _codenames() -> list[str]:
    meta = Agreement._meta
    return [f"{action}_{meta.model_name}" for action in meta.default_permissions] + [c for c, _ in meta.permissions]


@functools.cache
def _standing_sql(vendor: str) -> tuple[str, str]:
    from users.models import OrganisationRole

    quote = connection.ops.quote_name
    tables = {
        "agreement": quote(Agreement._meta.db_table),
        "permission": quote(Permission._meta.db_table),
        "by_user": quote(AgreementUserObjectPermission._meta.db_table),
        "by_group": quote(AgreementGroupObjectPermission._meta.db_table),
        "memberships": quote(User.groups.through._meta.db_table),
        "party": quote(Party._meta.db_table),
        "role": quote(OrganisationRole._meta.db_table),
    }
    bit = "CASE p.codename " + " ".join(f"WHEN '{c}' THEN {1 << n}" for n, c in enumerate(_codenames())) + " END"
    return _GRANTED_SQL.format(bit=bit, **tables), _PARTIES_SQL.format(aggregate=_ID_LIST[vendor], **tables)


def _standing(user: User) -> dict[str, RawSQL]:
    granted, parties = _standing_sql(connection.vendor)
    content_type = ContentType.objects.get_for_model(Agreement).pk  # Django caches it, and clears it on flush
    return {
        "granted_bits": RawSQL(granted, [content_type, user.pk] * 2),
        "party_ids": RawSQL(parties, [user.pk], CharField()),
    }


def _decode(granted_bits: int, party_ids: str | None) -> tuple[frozenset[str], list[int]]:
    codenames = [c for n, c in enumerate(_codenames()) if granted_bits & (1 << n)]
    ids = sorted(int(i) for i in (party_ids or "").split(",") if i)
    return frozenset(f"agreements.{c}" for c in codenames), ids


def _standing_of(user: User, agreement: Agreement) -> tuple[frozenset[str], list[int]]:
    """What guardian grants ``user`` on ``agreement`` and the parties they speak for, read once per
    agreement instance: from the columns ``get_agreement_for_user`` fetched, or else in one query."""
    known = agreement.__dict__.setdefault("_standing", {})
    if user.pk not in known:
        if getattr(agreement, "standing_of", None) == user.pk:
            known[user.pk] = _decode(agreement.granted_bits, agreement.party_ids)
        else:
            row = Agreement.objects.annotate(**_standing(user)).values("granted_bits", "party_ids").get(pk=agreement.pk)
            known[user.pk] = _decode(row["granted_bits"], row["party_ids"])
    return known[user.pk]


def _perms(user: UserLike, agreement: Agreement) -> frozenset[str]:
    """The user's permissions on the agreement (guardian's answer; superusers have them all)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        known = agreement.__dict__.setdefault("_superuser_perms", {})
        if user.pk not in known:
            known[user.pk] = frozenset(f"agreements.{p}" for p in ObjectPermissionChecker(user).get_perms(agreement))
        return known[user.pk]
    return _standing_of(user, agreement)[0]


def party_ids_of(user: UserLike, agreement: Agreement) -> list[int]:
    """The ids of the parties the user speaks for: those whose organisation they hold a role in."""
    if not user.is_authenticated:
        return []
    return _standing_of(user, agreement)[1]


def can_view_agreement(user: UserLike, agreement: Agreement) -> bool:
    return VIEW in _perms(user, agreement)


def can_comment_agreement(user: UserLike, agreement: Agreement) -> bool:
    return COMMENT in _perms(user, agreement)


def can_edit_agreement(user: UserLike, agreement: Agreement) -> bool:
    """Editing the text and structured content: a party's people while the agreement is a draft;
    during consultation only its organisers (the parties comment); nobody while it is submitted for
    approval, nor from negotiated on, as the text is frozen."""
    if agreement.is_draft:
        return EDIT in _perms(user, agreement)
    if agreement.status == Agreement.Status.CONSULTATION:
        return MANAGE in _perms(user, agreement)
    return False


def can_manage_agreement(user: UserLike, agreement: Agreement) -> bool:
    """Managing parties and metadata: the organisers (``organisers_of``), while the text is open
    (draft or consultation); nobody while it is submitted for approval or frozen."""
    return agreement.status in EDITABLE_STATUSES and MANAGE in _perms(user, agreement)


# Of the open statuses, those in which someone edits: not while the agreement awaits approval.
EDITABLE_STATUSES = frozenset({Agreement.Status.DRAFT, Agreement.Status.CONSULTATION})


def can_run_workflow(user: UserLike, agreement: Agreement) -> bool:
    """Moving the agreement through its workflow: its organisers (``organisers_of``), in every state."""
    return MANAGE in _perms(user, agreement)


def approver_grants(agreement_ids) -> QuerySet[AgreementGroupObjectPermission]:
    """The one rule of who approves: the grants of ``approve_agreement`` on the agreements, each held
    by the role group of one organisation (the kind grants it to its parties' roles), whose people
    approve for that organisation and no other. A grant to a user alone, or a portal admin's blanket
    rights, makes no one an approver. Filter it by ``group__user`` for one person's."""
    return AgreementGroupObjectPermission.objects.filter(
        content_object_id__in=agreement_ids,
        permission__codename=APPROVE.split(".")[1],
        group__role_group__isnull=False,
    )


def approval_party(user: UserLike, agreement: Agreement, step) -> Party | None:
    """The party ``user`` approves for at ``step``: a party of the step's organisation kind whose
    organisation's role group holding ``approve_agreement`` on the agreement the user is in; else None."""
    if step is None or not user.is_authenticated or not user.is_active or APPROVE not in _perms(user, agreement):
        return None
    grants = approver_grants([agreement.pk]).filter(
        group__user=user, group__role_group__organisation_id=OuterRef("organisation_id")
    )
    return (
        agreement.parties.filter(organisation__kind=step.organisation_kind)
        .filter(Exists(grants))
        .order_by("position", "pk")
        .first()
    )


def can_approve(user: UserLike, agreement: Agreement) -> bool:
    """Approving, or returning with comments, an agreement submitted for approval at its current step:
    the people of that step's party who hold ``approve_agreement`` (the kind grants it), nobody else
    (not even a portal admin, who speaks for no party)."""
    from agreements.approvals import current_step

    return approval_party(user, agreement, current_step(agreement)) is not None


def can_move(user: UserLike, agreement: Agreement) -> bool:
    """A move out of approval: those who run the workflow (withdrawing it to draft), and while the
    agreement is submitted, the approver whose approval or return was just recorded, which makes the
    move (``services.approvals.approval_record``); the workflow's preconditions hold that every step
    is approved before the text is frozen, and that a return says why."""
    if can_run_workflow(user, agreement):
        return True
    if agreement.status != Agreement.Status.SUBMITTED or not user.is_authenticated:
        return False
    from agreements.approvals import newest_of_submission

    newest = newest_of_submission(agreement)
    return newest is not None and newest.decided_by_id == user.pk


def can_resolve_change_proposal(user: UserLike, agreement: Agreement) -> bool:
    """Accepting (a new edition) or rejecting a change a party's decision asks for: those who run
    the workflow."""
    return can_run_workflow(user, agreement)


def can_start_edition(user: UserLike, agreement: Agreement) -> bool:
    """Starting a new edition of a frozen agreement: those who run the workflow."""
    return can_run_workflow(user, agreement)


def can_audit_agreement(user: UserLike, agreement: Agreement) -> bool:
    """Reading the agreement's audit log: those who manage it, in every state."""
    return MANAGE in _perms(user, agreement)


Action = Literal["view", "comment", "edit", "manage", "audit", "workflow"]
CHECKS = {
    "view": can_view_agreement,
    "comment": can_comment_agreement,
    "edit": can_edit_agreement,
    "manage": can_manage_agreement,
    "audit": can_audit_agreement,
    "workflow": can_run_workflow,
}


def get_agreement_for_user(user: UserLike, pk: int, *, action: Action = "view") -> Agreement:
    """The agreement if ``user`` may do ``action`` to it.

    404 when it does not exist or the user may not even see it; 403 (PermissionDenied) when they
    may see it but not do this.
    """
    queryset = Agreement.objects.with_change_stamp()
    if user.is_authenticated:
        queryset = queryset.annotate(**_standing(user))
    try:
        agreement = queryset.get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None
    if user.is_authenticated:
        agreement.standing_of = user.pk
    if not can_view_agreement(user, agreement):
        raise Http404
    if not CHECKS[action](user, agreement):
        raise PermissionDenied
    return agreement


def sees_every_agreement(user: UserLike) -> bool:
    """A portal admin sees every agreement, though a party to none (pages say so, not "yours")."""
    return user.is_authenticated and user.is_superuser


def visible_agreement_ids(user: UserLike) -> QuerySet:
    """A subquery of the ids of the agreements ``user`` may see."""
    if not user.is_authenticated:
        return Agreement.objects.none().values("pk")
    if sees_every_agreement(user):
        return Agreement.objects.values("pk")
    by_group = AgreementGroupObjectPermission.objects.filter(
        permission__codename="view_agreement", group__user=user
    ).values("content_object_id")
    by_user = AgreementUserObjectPermission.objects.filter(permission__codename="view_agreement", user=user).values(
        "content_object_id"
    )
    return Agreement.objects.filter(Q(pk__in=by_group) | Q(pk__in=by_user)).values("pk")


# --- Each party's decision (issue 10) ------------------------------------------------------------

RECORD_DECISIONS = "regions.record_decisions"
# A party's decision is recorded while the agreement is being decided, and while it is signed for a
# party that approves late; an agreement that enters into force on a quorum also takes the
# decisions of the parties that approve after it has entered into force (bound from their own).
DECIDING_STATUSES = frozenset({Agreement.Status.IN_DECISION, Agreement.Status.SIGNING})
LATE_DECIDING_STATUSES = frozenset({Agreement.Status.SIGNED, Agreement.Status.IN_FORCE})
# Legal force and appeals are known weeks after the decision: recorded until the agreement ends.
LEGAL_FORCE_STATUSES = DECIDING_STATUSES | LATE_DECIDING_STATUSES


def _is_own_official(user: UserLike, party: Party) -> bool:
    """The user holds a role in the party's organisation that records its decisions."""
    return party.pk in party_ids_of(user, party.agreement) and _has_organisation_perm(user, RECORD_DECISIONS, party)


def decision_recorder_grants(organisation_id) -> QuerySet:
    """The grants of ``regions.record_decisions`` on the organisation to the role groups of active
    users (``organisation_id`` may be an OuterRef, for a page of parties)."""
    from regions.models import OrganisationGroupObjectPermission

    return OrganisationGroupObjectPermission.objects.filter(
        permission__codename=RECORD_DECISIONS.split(".")[1],
        content_object_id=organisation_id,
        group__user__is_active=True,
    )


def party_has_decision_recorders(party: Party) -> bool:
    """Someone in the portal may record the party's decisions (and name its signatories): a user
    holding a role in its organisation that carries ``regions.record_decisions`` (an official, a
    coordinator). An organisation whose only users sign or administer it has nobody to record them
    either. Pages annotate ``has_officials`` on their parties to ask once."""
    if hasattr(party, "has_officials"):
        return party.has_officials
    return decision_recorder_grants(party.organisation_id).exists()


def records_for_party(user: UserLike, party: Party) -> str | None:
    """How ``user`` may record ``party``'s decisions, whatever the agreement's state: ``"own"`` as
    one of its own officials, ``"coordinator"`` as the organiser's coordinator for a party that has
    nobody in the portal to record them (the record is marked as entered for the party), or None."""
    if not can_view_agreement(user, party.agreement):
        return None
    if _is_own_official(user, party):
        return "own"
    if can_run_workflow(user, party.agreement) and not party_has_decision_recorders(party):
        return "coordinator"
    return None


def decisions_open(agreement: Agreement) -> bool:
    """Whether a party's decision on the agreement may be recorded now."""
    if agreement.status in DECIDING_STATUSES:
        return True
    return agreement.status in LATE_DECIDING_STATUSES and agreement.entry_rule == Agreement.EntryRule.QUORUM


def can_record_decision(user: UserLike, party: Party) -> bool:
    """Recording (or correcting) the party's decision: its own officials, or the organiser's
    coordinator for a party with nobody in the portal; while the agreement is being decided."""
    return decisions_open(party.agreement) and records_for_party(user, party) is not None


def can_record_legal_force(user: UserLike, party: Party) -> bool:
    """Confirming that the party's decision is legally final: the same people, until the agreement ends."""
    return party.agreement.status in LEGAL_FORCE_STATUSES and records_for_party(user, party) is not None


def can_record_appeal(user: UserLike, party: Party) -> bool:
    """Recording an appeal against the party's decision, and its outcome: as for legal force."""
    return party.agreement.status in LEGAL_FORCE_STATUSES and records_for_party(user, party) is not None


def decision_organisation_ids(user: UserLike) -> QuerySet:
    """A subquery of the organisations whose decisions ``user`` records as one of their own (through
    a role; a portal admin's blanket permissions do not make them an organisation's official)."""
    from regions.models import OrganisationGroupObjectPermission

    if not user.is_authenticated:
        return Organisation.objects.none().values("pk")
    return OrganisationGroupObjectPermission.objects.filter(
        permission__codename=RECORD_DECISIONS.split(".")[1],
        group__user=user,
    ).values("content_object_id")


# --- Signing ------------------------------------------------------------------------------------
# Who names a party's signatories and who signs are organisation permissions (regions), read with
# one guardian checker per agreement instance: a page of thirty parties asks once, not thirty times.
RECORD_DECISIONS = "regions.record_decisions"
SIGN_AGREEMENTS = "regions.sign_agreements"


def _organisation_checker(user: User, agreement: Agreement) -> ObjectPermissionChecker:
    known = agreement.__dict__.setdefault("_organisation_checkers", {})
    if user.pk not in known:
        known[user.pk] = ObjectPermissionChecker(user)
    return known[user.pk]


def prefetch_organisation_perms(user: UserLike, agreement: Agreement, parties: Iterable[Party]) -> None:
    """Reads the user's permissions on every party's organisation in one go (for a page of parties)."""
    if user.is_authenticated and user.is_active and not user.is_superuser:
        organisations = [party.organisation.as_organisation for party in parties]
        if organisations:
            _organisation_checker(user, agreement).prefetch_perms(organisations)


def _has_organisation_perm(user: UserLike, perm: str, party: Party) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return _organisation_checker(user, party.agreement).has_perm(perm, party.organisation.as_organisation)


def can_name_signatories(user: UserLike, party: Party) -> bool:
    """Naming a party's signatories and recording a signature made outside the portal: the party's
    own officials (who record its decisions), or the organiser's coordinators for a party that has
    no official in the portal yet. The agreement's status is the service's to check."""
    if not can_view_agreement(user, party.agreement):
        return False
    # A role in the party's organisation, as for its decisions: a portal admin's blanket
    # permissions do not make them a party's official.
    if party.pk in party_ids_of(user, party.agreement) and _has_organisation_perm(user, RECORD_DECISIONS, party):
        return True
    return can_run_workflow(user, party.agreement) and not party_has_decision_recorders(party)


def can_sign(user: UserLike, signatory) -> bool:
    """Signing in the portal: the signatory themself, while they may sign for the party's
    organisation (its signatory role). Status, decision and text are the service's to check."""
    return (
        user.is_authenticated
        and signatory.user_id == user.pk
        and _has_organisation_perm(user, SIGN_AGREEMENTS, signatory.party)
    )


# --- The public register (621/1999): anyone reads the agreements in PUBLIC_STATUSES, nothing else ---


def public_agreements() -> QuerySet[Agreement]:
    """The agreements the public register shows: in force or ended, public documents. An edition
    superseded while it was still being decided or signed never was in force: it is not public."""
    return Agreement.objects.filter(status__in=Agreement.PUBLIC_STATUSES).exclude(
        status=Agreement.Status.SUPERSEDED, in_force_from__isnull=True
    )


def get_public_agreement(pk: int) -> Agreement:
    """The agreement for the public register; 404 for one that is missing or not (yet) public."""
    try:
        return public_agreements().select_related("county").get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


def can_record_county_negotiation(user: UserLike, county: WellbeingCounty) -> bool:
    """Recording the county's statutory negotiation with its municipalities: its coordinators (who
    start its agreements) and the portal admin."""
    return can_start_agreement(user, county)
