from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from users.selectors import organisation_roles_for_user


@login_required
def me(request: HttpRequest) -> HttpResponse:
    roles = organisation_roles_for_user(user=request.user)
    organisations = [
        (organisation, [r.get_role_display() for r in group])
        for organisation, group in groupby(roles, key=lambda r: r.organisation)
    ]
    return render(request, "users/me.html", {"organisations": organisations})
