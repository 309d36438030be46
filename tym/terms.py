"""The one way TYM agreements are started and their terms written.

A TYM agreement is started from a steering group by an official of one of the group's employment
authorities (``permissions.can_start_tym_agreement``): an ``agreements`` agreement of kind "tym" with
the group's organisations as parties and the TYM template's sections, created by
``agreements.services.core.agreement_create``. Its terms are written while it is a draft by whoever
may edit it (``agreements.permissions.can_edit_agreement``), under the agreement's row lock.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Theme
from agreements.services.core import agreement_create
from regions.models import Organisation
from tym import permissions
from tym.kind import KEY
from tym.models import SteeringGroup, TymAgreement
from users.models import User


def parties_of(group: SteeringGroup) -> list[Organisation]:
    """The organisations that are the parties: the group's employment authorities (the lead first),
    its county and Kela."""
    areas = sorted(group.employment_areas.all(), key=lambda a: (a.pk != group.lead_authority_id, a.code))
    kela = Organisation.objects.filter(kind=Organisation.Kind.KELA).first()
    return [*areas, group.county, *([kela] if kela else [])]


@transaction.atomic
def tym_agreement_start(
    *,
    group: SteeringGroup,
    by: User,
    title: str,
    language: str = Agreement.Language.FINNISH,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Agreement:
    """Starts the group's TYM agreement, valid (by default) from today or the term's start to its end."""
    group = SteeringGroup.objects.select_for_update().select_related("county", "lead_authority").get(pk=group.pk)
    if not permissions.can_start_tym_agreement(by, group):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Give the agreement a title.")})
    valid_from = valid_from or max(group.term_start, timezone.localdate())
    valid_until = valid_until or group.term_end - datetime.timedelta(days=1)
    if valid_from < group.term_start or valid_until >= group.term_end or valid_until < valid_from:
        raise ValidationError(
            {
                "valid_until": _("The agreement is valid within the group's term, %(start)s–%(end)s.")
                % {
                    "start": f"{group.term_start:%-d.%-m.%Y}",
                    "end": f"{group.term_end - datetime.timedelta(days=1):%-d.%-m.%Y}",
                }
            }
        )
    return agreement_create(
        by=by,
        kind=KEY,
        county=group.county,
        title=title,
        language=language,
        organisations=parties_of(group),
        main_theme=Theme.EMPLOYMENT,
        themes=[Theme.EMPLOYMENT],
        valid_from=valid_from,
        valid_until=valid_until,
        before_grants=lambda agreement: TymAgreement.objects.create(agreement=agreement, group=group),
    )
