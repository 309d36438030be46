from django.db import transaction

from regions.models import Organisation
from users.models import OrganisationRole, Role, User
from users.permissions import role_group_get_or_create, role_group_sync_permissions


@transaction.atomic
def organisation_role_grant(*, user: User, organisation: Organisation, role: Role | str) -> OrganisationRole:
    """Gives ``user`` ``role`` in ``organisation`` and puts them in the role's permission group."""
    membership, _created = OrganisationRole.objects.get_or_create(
        user=user, organisation=organisation.as_organisation, role=role
    )
    role_group = role_group_get_or_create(organisation=organisation, role=role)
    # The role may have gained permissions since its group was made.
    role_group_sync_permissions(role_group=role_group)
    user.groups.add(role_group.group)
    return membership


@transaction.atomic
def organisation_role_revoke(*, user: User, organisation: Organisation, role: Role | str) -> None:
    OrganisationRole.objects.filter(user=user, organisation=organisation, role=role).delete()
    user.groups.remove(role_group_get_or_create(organisation=organisation, role=role).group)


DEMO_PASSWORD = "yhdyspinta-demo"

# username, first name, last name, organisation lookup, role, description
_DEMO_USERS = [
    ("tampere", "Aino", "Virtanen", {"municipality__code": "837"}, Role.OFFICIAL, "official of Tampere"),
    ("nokia", "Mikko", "Korhonen", {"municipality__code": "536"}, Role.OFFICIAL, "official of Nokia"),
    (
        "pirkanmaa",
        "Liisa",
        "Mäkinen",
        {"wellbeingcounty__code": "08"},
        Role.COORDINATOR,
        "coordinator of Pirkanmaa wellbeing services county",
    ),
    (
        "tampereen-seutu",
        "Jari",
        "Nieminen",
        {"employmentarea__code": "39"},
        Role.OFFICIAL,
        "official of the Tampereen seutu employment authority",
    ),
    ("kela", "Sanna", "Heikkinen", {"kind": Organisation.Kind.KELA}, Role.OFFICIAL, "Kela representative"),
]


@transaction.atomic
def demo_users_ensure() -> tuple[str, list[tuple[str, str]]]:
    """Creates or resets the demo users and their roles; returns the password and (username, what) pairs."""
    printed = []
    for username, first, last, lookup, role, description in _DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.is_active = first, last, True
        user.set_password(DEMO_PASSWORD)
        user.save()
        organisation_role_grant(user=user, organisation=Organisation.objects.get(**lookup), role=role)
        printed.append((username, description))
    admin, _created = User.objects.get_or_create(username="admin")
    admin.first_name, admin.last_name = "Pää", "Käyttäjä"
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    printed.append(("admin", "portal admin (loads area data, manages users and organisations)"))
    return DEMO_PASSWORD, printed
