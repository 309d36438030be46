from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    # The language of the user's e-mails; empty until they choose one (then Finnish).
    language = models.CharField(_("language of e-mails"), max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    OFFICIAL = "official", pgettext_lazy("role", "Official")
    COORDINATOR = "coordinator", pgettext_lazy("role", "Coordinator")
    SIGNATORY = "signatory", pgettext_lazy("role", "Signatory")
    ADMIN = "admin", pgettext_lazy("role", "Organisation admin")


class OrganisationRole(models.Model):
    """A user's role in an organisation; a user may hold several roles in several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.CASCADE,
        related_name="user_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="organisation_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} – {self.get_role_display()}"


class RoleGroup(models.Model):
    """The one auth group that stands for a role in an organisation.

    Object permissions are granted to these groups, so "may this user do X to this object" is one
    guardian check however many organisations and roles the user has.
    """

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role_group", verbose_name=_("group"))
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.CASCADE,
        related_name="role_groups",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [models.UniqueConstraint(fields=["organisation", "role"], name="role_group_unique")]

    def __str__(self) -> str:
        return self.group.name
