"""The portal's icon: every page of ours names it, and /favicon.ico, which browsers ask for where a
page names none (the admin's), leads to it instead of a logged 404."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_our_pages_name_the_svg_icon(client, areas):
    html = client.get(reverse("regions:county_list")).content.decode()

    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")


@pytest.mark.parametrize("persona", [None, "alice", "admin_user"])
def test_favicon_ico_leads_to_the_icon_for_everyone(request, client, caplog, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    assert [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")] == []


def test_favicon_ico_leads_to_the_icon_also_for_someone_who_owes_a_second_factor(client, alice, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["official"]  # Alice has no device yet: she may only set one up
    client.force_login(alice)

    response = client.get("/favicon.ico")

    assert response["Location"] == static("img/favicon.svg")
    assert client.get(reverse("users:two_factor")).status_code == 200
    assert list(response.wsgi_request._messages) == []
