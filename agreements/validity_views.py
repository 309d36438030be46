"""The county's statutory negotiations with its municipalities (611/2021 §14): recorded by its coordinators."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements import permissions
from agreements.models import COUNCIL_TERM
from agreements.services.dates import county_negotiation_record
from regions.models import WellbeingCounty
from yhdyspinta.forms import DateField, Form


class CountyNegotiationForm(Form):
    held_on = DateField(label=gettext_lazy("Held on"))
    note = forms.CharField(
        label=gettext_lazy("Record"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What was negotiated: cooperation, goals, division of work; where the minutes are."),
    )


@require_http_methods(["GET", "POST"])
def county_negotiations(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    if not permissions.can_record_county_negotiation(request.user, county):
        raise PermissionDenied
    form = CountyNegotiationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            county_negotiation_record(
                county=county, by=request.user, held_on=form.cleaned_data["held_on"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The negotiation was recorded."))
            return redirect("agreements:county_negotiations", county.code)
    return render(
        request,
        "agreements/county_negotiations.html",
        {
            "county": county,
            "form": form,
            "negotiations": list(county.negotiations.order_by("-held_on", "-pk")),
            "term": COUNCIL_TERM,
        },
        status=400 if form.errors else 200,
    )
