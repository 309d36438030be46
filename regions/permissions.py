"""Who may do what with organisations. Views call these; nothing else asks guardian about regions."""

from django.db.models import Model
from django.http import Http404

from regions.models import Organisation
from users.models import Role

ORGANISATION_PERMISSIONS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    # Officials record their organisation's own decisions on the agreements it is a party to.
    Role.OFFICIAL: ("regions.view_organisation_members", "regions.record_decisions"),
    # A coordinator starts the agreements their organisation organises (a county: its strategic one).
    Role.COORDINATOR: ("regions.view_organisation_members", "regions.start_agreement", "regions.record_decisions"),
    # A signatory signs for their own organisation only.
    Role.SIGNATORY: ("regions.view_organisation_members", "regions.sign_agreements"),
    Role.ADMIN: ("regions.view_organisation_members", "regions.manage_organisation_members"),
}
# What a role may do only in an organisation of one kind, on top of the above.
ORGANISATION_PERMISSIONS_BY_KIND_AND_ROLE: dict[tuple[str, Role], tuple[str, ...]] = {
    # Multi-sector steering groups (381/2023 §9): a county's coordinators and the officials and
    # coordinators of an employment authority set up the groups of its area (tym.permissions says where).
    (Organisation.Kind.COUNTY, Role.COORDINATOR): ("regions.set_up_steering_groups",),
    (Organisation.Kind.EMPLOYMENT_AUTHORITY, Role.OFFICIAL): ("regions.set_up_steering_groups",),
    (Organisation.Kind.EMPLOYMENT_AUTHORITY, Role.COORDINATOR): ("regions.set_up_steering_groups",),
}


def organisation_permissions_of(organisation: Organisation, role: Role | str) -> tuple[str, ...]:
    """Every permission ``role`` has on its own ``organisation``."""
    role = Role(role)
    return ORGANISATION_PERMISSIONS_BY_ROLE[role] + ORGANISATION_PERMISSIONS_BY_KIND_AND_ROLE.get(
        (organisation.kind, role), ()
    )


def can_view_organisation_members(user: Model, organisation: Organisation) -> bool:
    return user.has_perm("regions.view_organisation_members", organisation.as_organisation)


def get_organisation_members_for_user(user: Model, pk: int) -> Organisation:
    """The organisation whose members ``user`` may see; 404 for a missing and a forbidden one alike."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not can_view_organisation_members(user, organisation):
        raise Http404
    return organisation
