"""The printed document on screen: for those who may see the agreement, and for anyone once the
register shows it."""

import re

import pytest
from django.urls import reverse

from tests.register.builders import public_world


@pytest.fixture
def world(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return public_world()


def test_a_party_reads_the_draft_as_its_document(client, world):
    coordinator, official, _signer = world["users"]
    draft = world["draft"]
    client.force_login(official)
    overview = client.get(reverse("agreements:detail", args=[draft.pk]))
    url = reverse("pdfs:print", args=[draft.pk])
    assert f'href="{url}"' in overview.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert draft.title in html
    for section in draft.sections.all():
        assert f"{section.key}</span> {section.title}" in html
    assert "Luonnoksen teksti." in html
    assert '<div class="watermark" aria-hidden="true">Luonnos</div>' in html
    # Under the strict CSP: the style sheet from the static files, no inline style or script.
    assert re.search(r'<link rel="stylesheet" href="/static/css/pdf\.css', html)
    assert "style=" not in html and "<style" not in html and "<script" not in html
    assert "private" in response["Cache-Control"]
    # Headings in order (one h1, never a level skipped), every header cell with its scope.
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False))
    assert "<th>" not in html and html.count("<th ") == html.count("<th scope=")


def test_an_outsider_gets_404_and_a_visitor_the_login(client, world, dave):
    url = reverse("pdfs:print", args=[world["draft"].pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(dave)
    assert client.get(url).status_code == 404


def test_anyone_prints_an_agreement_of_the_register_but_not_a_draft(client, world):
    in_force, draft = world["in_force"], world["draft"]
    page = client.get(reverse("register:agreement", args=[in_force.pk]))
    url = reverse("pdfs:public_print", args=[in_force.pk])
    assert f'href="{url}"' in page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert in_force.title in html
    assert "Anna Allekirjoittaja, Kaupunginjohtaja" in html
    assert "public" in response["Cache-Control"]

    assert client.get(reverse("pdfs:public_print", args=[draft.pk])).status_code == 404
    assert client.get(reverse("pdfs:public_print", args=[world["in_decision"].pk])).status_code == 404
