"""Who may do what with an agreement. Views and services ask here; nothing else asks guardian.

Permissions are granted on each agreement to the role groups of its parties' organisations (see
``PARTY_PERMISSIONS_BY_ROLE``) and, for managing it, to the coordinators of its county.
"""

from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.core import ObjectPermissionChecker

from agreements.models import Agreement, AgreementGroupObjectPermission, AgreementUserObjectPermission
from regions.models import Organisation, WellbeingCounty
from users.models import Role, User
from users.permissions import grant_to_roles, revoke_from_roles

VIEW, COMMENT, EDIT, MANAGE = (
    "agreements.view_agreement",
    "agreements.comment_agreement",
    "agreements.edit_agreement",
    "agreements.manage_agreement",
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
    agreement.__dict__.pop("_perms_by_user", None)


def party_grant(*, agreement: Agreement, organisation: Organisation) -> None:
    _forget(agreement)
    for role, perms in PARTY_PERMISSIONS_BY_ROLE.items():
        grant_to_roles(perms=perms, obj=agreement, organisation=organisation, role=role)


def party_revoke(*, agreement: Agreement, organisation: Organisation) -> None:
    _forget(agreement)
    for role, perms in PARTY_PERMISSIONS_BY_ROLE.items():
        revoke_from_roles(perms=perms, obj=agreement, organisation=organisation, role=role)


def organiser_grant(*, agreement: Agreement, county: WellbeingCounty) -> None:
    grant_to_roles(perms=ORGANISER_PERMISSIONS, obj=agreement, organisation=county, role=Role.COORDINATOR)


def can_start_agreement(user: UserLike, county: WellbeingCounty) -> bool:
    return user.has_perm(START, county.as_organisation)


def _perms(user: UserLike, agreement: Agreement) -> frozenset[str]:
    """The user's permissions on the agreement, fetched once per agreement instance (two queries)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = agreement.__dict__.setdefault("_perms_by_user", {})
    if user.pk not in cache:
        cache[user.pk] = frozenset(f"agreements.{p}" for p in ObjectPermissionChecker(user).get_perms(agreement))
    return cache[user.pk]


def can_view_agreement(user: UserLike, agreement: Agreement) -> bool:
    return VIEW in _perms(user, agreement)


def can_comment_agreement(user: UserLike, agreement: Agreement) -> bool:
    return COMMENT in _perms(user, agreement)


def can_edit_agreement(user: UserLike, agreement: Agreement) -> bool:
    """Editing the text and structured content: a party's people, only while the agreement is a draft."""
    return agreement.is_draft and EDIT in _perms(user, agreement)


def can_manage_agreement(user: UserLike, agreement: Agreement) -> bool:
    """Managing parties and metadata: the county's coordinators, only while the agreement is a draft."""
    return agreement.is_draft and MANAGE in _perms(user, agreement)


def can_audit_agreement(user: UserLike, agreement: Agreement) -> bool:
    """Reading the agreement's audit log: those who manage it, in every state."""
    return MANAGE in _perms(user, agreement)


Action = Literal["view", "comment", "edit", "manage", "audit"]
CHECKS = {
    "view": can_view_agreement,
    "comment": can_comment_agreement,
    "edit": can_edit_agreement,
    "manage": can_manage_agreement,
    "audit": can_audit_agreement,
}


def get_agreement_for_user(user: UserLike, pk: int, *, action: Action = "view") -> Agreement:
    """The agreement if ``user`` may do ``action`` to it.

    404 when it does not exist or the user may not even see it; 403 (PermissionDenied) when they
    may see it but not do this.
    """
    agreement = Agreement.objects.select_related("county").filter(pk=pk).first()
    if agreement is None or not can_view_agreement(user, agreement):
        raise Http404
    if not CHECKS[action](user, agreement):
        raise PermissionDenied
    return agreement


def visible_agreement_ids(user: UserLike) -> QuerySet:
    """A subquery of the ids of the agreements ``user`` may see."""
    if not user.is_authenticated:
        return Agreement.objects.none().values("pk")
    if user.is_superuser:
        return Agreement.objects.values("pk")
    by_group = AgreementGroupObjectPermission.objects.filter(
        permission__codename="view_agreement", group__user=user
    ).values("content_object_id")
    by_user = AgreementUserObjectPermission.objects.filter(permission__codename="view_agreement", user=user).values(
        "content_object_id"
    )
    return Agreement.objects.filter(Q(pk__in=by_group) | Q(pk__in=by_user)).values("pk")
