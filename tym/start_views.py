"""Starting a steering group's TYM agreement.

The page to start one is for ``permissions.can_start_tym_agreement`` (an official or coordinator
of one of the group's employment authorities); the agreement is started by
``terms.tym_agreement_start`` and the drafter goes on to its overview.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from tym import permissions
from tym.models import SteeringGroup
from tym.terms import default_validity, tym_agreement_start
from yhdyspinta.forms import DateField, Form


class TymAgreementStartForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the agreement"), choices=Agreement.Language.choices)
    valid_from = DateField(label=_("Valid from"))
    valid_until = DateField(
        label=_("Valid until"), help_text=_("Within the group's term; by default its start (or today) to its end.")
    )


@login_required
def agreement_start(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(SteeringGroup.objects.select_related("county", "lead_authority"), pk=pk)
    if not permissions.can_start_tym_agreement(request.user, group):
        raise PermissionDenied
    valid_from, valid_until = default_validity(group)
    form = TymAgreementStartForm(
        request.POST or None,
        initial={
            "title": _("TYM agreement of %(group)s") % {"group": group.name},
            "language": Agreement.Language.FINNISH,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = tym_agreement_start(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("agreements:detail", agreement.pk)
    return render(request, "tym/agreement_start.html", {"group": group, "form": form})
