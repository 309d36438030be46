from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agreements.permissions import get_agreement_for_user
from audit.forms import FilterForm
from audit.permissions import check_view_audit_log
from audit.selectors import describe, entry_list

PAGE_SIZE = 50


def _page(request: HttpRequest, form: FilterForm, agreement_id: int | None):
    entries = entry_list(filters=form.filters(), agreement_id=agreement_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "rows": describe(page), "query": query.urlencode()}


def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole log, for portal admins."""
    check_view_audit_log(request.user)
    form = FilterForm(request.GET or None)
    return render(request, "audit/log.html", _page(request, form, None))


def agreement_audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    """One agreement's log, for those who manage it."""
    agreement = get_agreement_for_user(request.user, pk, action="audit")
    # Addresses are personal data of other organisations' people: the whole log (admins) shows them.
    form = FilterForm(request.GET or None, with_agreement=False)
    return render(request, "audit/log.html", {**_page(request, form, agreement.pk), "agreement": agreement})
