"""Finland's regional administration as data.

Every body that can be a party to an agreement is an ``Organisation``; municipalities, wellbeing
services counties, regional councils and employment areas (whose organisation is the area's
employment authority) extend it, so later agreements have one kind of party. Kela and other bodies
are plain organisations.

Memberships of a municipality in a county, an employment area and a regional council area carry
validity dates (``valid_to`` is exclusive), so a merger or a reorganisation is a new row and the
composition on any past day stays one query.
"""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from regions.validators import validate_business_id

two_digit_code = RegexValidator(r"^\d{2}$", _("Enter a two-digit code, such as 08."))
three_digit_code = RegexValidator(r"^\d{3}$", _("Enter a three-digit code, such as 091."))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", pgettext_lazy("organisation kind", "Municipality")
        COUNTY = "county", pgettext_lazy("organisation kind", "Wellbeing services county")
        REGIONAL_COUNCIL = "regional_council", pgettext_lazy("organisation kind", "Regional council")
        EMPLOYMENT_AUTHORITY = (
            "employment_authority",
            pgettext_lazy("organisation kind", "Employment authority"),
        )
        KELA = "kela", pgettext_lazy("organisation kind", "Kela")
        OTHER = "other", pgettext_lazy("organisation kind", "Other organisation")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("The Finnish business ID (Y-tunnus), such as 0123456-7."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fi"]
        permissions = [
            ("view_organisation_members", _("Can see the organisation's members and their roles")),
            ("manage_organisation_members", _("Can manage the organisation's members")),
            ("start_agreement", _("Can start agreements the organisation organises")),
            ("record_decisions", _("Can record the organisation's decisions on agreements")),
            ("sign_agreements", _("Can sign agreements for the organisation")),
            (
                "set_up_steering_groups",
                _("Can set up the steering groups of its area and record the negotiation on them"),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name_fi=""), name="organisation_name_fi_not_empty"),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="kela"), name="organisation_one_kela"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def as_organisation(self) -> "Organisation":
        """This row as a plain Organisation: object permissions are kept on that class for every kind."""
        return getattr(self, "organisation_ptr", self)

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Finnish."""
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi


class OrganisationKindMixin:
    """Keeps ``Organisation.kind`` in step with the subclass a row was saved through."""

    organisation_kind: str

    def save(self, *args, **kwargs):
        self.kind = self.organisation_kind
        super().save(*args, **kwargs)


class Municipality(OrganisationKindMixin, Organisation):
    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        BILINGUAL_FINNISH_MAJORITY = "fi-sv", _("Bilingual, Finnish majority")
        BILINGUAL_SWEDISH_MAJORITY = "sv-fi", _("Bilingual, Swedish majority")

    organisation_kind = Organisation.Kind.MUNICIPALITY

    code = models.CharField(_("municipality code"), max_length=3, unique=True, validators=[three_digit_code])
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    is_aland = models.BooleanField(_("in Åland"), default=False)
    abolished_on = models.DateField(
        _("abolished on"),
        null=True,
        blank=True,
        help_text=_("The day a merger ended the municipality; empty while it exists."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]


class WellbeingCounty(OrganisationKindMixin, Organisation):
    organisation_kind = Organisation.Kind.COUNTY

    code = models.CharField(_("county code"), max_length=2, unique=True, validators=[two_digit_code])
    is_city = models.BooleanField(
        _("a city organising its own services"),
        default=False,
        help_text=_("The City of Helsinki organises social, health and rescue services itself."),
    )

    class Meta:
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")
        ordering = ["code"]


class RegionalCouncil(OrganisationKindMixin, Organisation):
    """A regional council area (maakunta) and its council; Åland's area has the provincial government."""

    organisation_kind = Organisation.Kind.REGIONAL_COUNCIL

    code = models.CharField(_("regional council area code"), max_length=2, unique=True, validators=[two_digit_code])
    area_name_fi = models.CharField(_("area name in Finnish"), max_length=200)
    area_name_sv = models.CharField(_("area name in Swedish"), max_length=200, blank=True)
    area_name_en = models.CharField(_("area name in English"), max_length=200, blank=True)
    is_aland = models.BooleanField(_("Åland"), default=False)

    class Meta:
        verbose_name = _("regional council")
        verbose_name_plural = _("regional councils")
        ordering = ["code"]

    @property
    def area_name(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"area_name_{language}", "") or self.area_name_fi


class EmploymentArea(OrganisationKindMixin, Organisation):
    """An employment area; as an organisation it is the area's employment authority."""

    class Model(models.TextChoices):
        RESPONSIBLE_MUNICIPALITY = "vastuukunta", _("A responsible municipality")
        SINGLE_MUNICIPALITY = "single_municipality", _("A single municipality")
        JOINT_AUTHORITY = "kuntayhtyma", _("A joint municipal authority")

    class Confidence(models.TextChoices):
        VERIFIED = "verified", _("Verified from municipal sources")
        MEDIUM = "medium", _("Probable")
        LOW = "low", _("Uncertain")
        INFERRED = "inferred", _("Inferred: the area's largest municipality")
        CORRECTED = "corrected", _("Corrected by an admin")

    organisation_kind = Organisation.Kind.EMPLOYMENT_AUTHORITY

    code = models.CharField(_("employment area code"), max_length=2, unique=True, validators=[two_digit_code])
    organisation_model = models.CharField(_("organisation model"), max_length=32, choices=Model.choices)
    responsible_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("responsible municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_employment_areas",
    )
    responsible_confidence = models.CharField(
        _("how certain the responsible municipality is"),
        max_length=16,
        choices=Confidence.choices,
        default=Confidence.VERIFIED,
        help_text=_(
            "An admin's correction is kept when the area data is loaded again; "
            "the other values come from the loaded files."
        ),
    )

    class Meta:
        verbose_name = _("employment area")
        verbose_name_plural = _("employment areas")
        ordering = ["code"]


class MembershipQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "MembershipQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def current(self) -> "MembershipQuerySet":
        return self.filter(valid_to__isnull=True)


class Membership(models.Model):
    """A municipality's membership in an area from ``valid_from`` up to, not including, ``valid_to``."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Exclusive; empty while valid."))

    objects = MembershipQuerySet.as_manager()
    area_field: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.municipality} – {self.area} ({self.valid_from}–{self.valid_to or ''})"

    @property
    def area(self) -> Organisation:
        return getattr(self, self.area_field)

    @property
    def area_kind(self) -> str:
        return capfirst(self._meta.get_field(self.area_field).related_model._meta.verbose_name)


def _membership_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
            name=f"{prefix}_ends_after_it_starts",
        ),
        # A municipality has at most one open membership of each kind.
        models.UniqueConstraint(
            fields=["municipality"],
            condition=Q(valid_to__isnull=True),
            name=f"{prefix}_one_open_per_municipality",
        ),
    ]


class CountyMembership(Membership):
    area_field = "county"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="county_memberships",
        verbose_name=_("municipality"),
    )
    county = models.ForeignKey(
        WellbeingCounty, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("county")
    )

    class Meta:
        verbose_name = _("county membership")
        verbose_name_plural = _("county memberships")
        constraints = _membership_constraints("county_membership")


class EmploymentAreaMembership(Membership):
    area_field = "employment_area"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="employment_area_memberships",
        verbose_name=_("municipality"),
    )
    employment_area = models.ForeignKey(
        EmploymentArea,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("employment area"),
    )

    class Meta:
        verbose_name = _("employment area membership")
        verbose_name_plural = _("employment area memberships")
        constraints = _membership_constraints("employment_area_membership")


class RegionalCouncilMembership(Membership):
    area_field = "regional_council"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="regional_council_memberships",
        verbose_name=_("municipality"),
    )
    regional_council = models.ForeignKey(
        RegionalCouncil,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("regional council"),
    )

    class Meta:
        verbose_name = _("regional council membership")
        verbose_name_plural = _("regional council memberships")
        constraints = _membership_constraints("regional_council_membership")


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table: fast joins instead of generic object ids."""

    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE, verbose_name=_("organisation"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user's permission on an organisation")
        verbose_name_plural = _("users' permissions on organisations")


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE, verbose_name=_("organisation"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("role group's permission on an organisation")
        verbose_name_plural = _("role groups' permissions on organisations")
