"""The Django admin opens every registered model's list and a change page for the portal admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.agreements.factories import start_strategic


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_every_admin_list_opens_with_a_search(client, admin_user, model):
    start_strategic()
    client.force_login(admin_user)

    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), {"q": "a"})

    assert response.status_code == 200


def test_agreements_are_read_only_in_the_admin(client, admin_user):
    agreement = start_strategic()
    client.force_login(admin_user)
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])

    page = client.get(url).content.decode()
    client.post(url, {"title": "Changed"})

    agreement.refresh_from_db()
    assert 'name="title"' not in page
    assert agreement.title != "Changed"
