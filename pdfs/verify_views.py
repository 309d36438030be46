"""The public verification page: anyone may upload a file and learn whether it is the genuine signed
agreement. The file is read in memory and forgotten; nothing is stored."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pdfs import verification
from pdfs.forms import VerifyForm


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    verdict = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = verification.verify(form.cleaned_data["file"])
    else:
        form = VerifyForm()
    status = 400 if form.errors else 200
    return render(request, "pdfs/verify.html", {"form": form, "verdict": verdict}, status=status)
