from django.db.models import QuerySet

from users.models import OrganisationRole, User


def organisation_roles_for_user(*, user: User) -> QuerySet[OrganisationRole]:
    """The user's own roles, with their organisations, for the "my organisations" page."""
    return (
        OrganisationRole.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_fi", "role")
    )
