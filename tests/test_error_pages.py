"""Error pages as production shows them (DEBUG off): ours, and telling nothing about the error.

A crash shows no traceback, exception text, settings, SQL or file path; a foreign agreement's 404
is the very page a missing one gets; a 403 names no object and no reason.
"""

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from agreements.models import Agreement
from regions.models import Municipality
from tests.agreements.factories import start_strategic
from tests.error_urls import SECRET
from tests.pages import live_markup, without_csrf_tokens

# What no error page may contain.
LEAKS = [
    SECRET,
    "Traceback",
    "RuntimeError",
    "Error at",
    "SELECT",
    "no_such_table",
    "settings",
    "DATABASE",
    ".py",
    'File "',
    str(django_settings.BASE_DIR),
    django_settings.SECRET_KEY,
]


@pytest.fixture
def production(settings, client):
    """The test client as a visitor meets the site in production: errors become pages."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    return client


def assert_tells_nothing(response) -> str:
    html = response.content.decode()
    for leak in LEAKS:
        assert leak not in html, f"the {response.status_code} page shows {leak!r}"
    assert live_markup(html) == []
    return html


@pytest.mark.parametrize("url", ["/test-errors/500/", "/test-errors/500-sql/"])
def test_a_crash_shows_our_page_and_nothing_of_the_error(production, alice, url):
    production.force_login(alice)

    response = production.get(url)

    assert response.status_code == 500
    html = assert_tells_nothing(response)
    assert '<html lang="fi">' in html
    assert 'href="/static/css/site.css"' in html
    assert "<script" not in html and "<style" not in html


def test_the_500_page_needs_no_request_context_and_no_database():
    # Without the db fixture, any query would fail this test.
    request = RequestFactory().get("/")

    with translation.override("sv"):
        response = server_error(request)

    assert response.status_code == 500
    assert '<html lang="sv">' in response.content.decode()


AGREEMENT_PAGES = [
    ("agreements:detail", []),
    ("agreements:parties", []),
    ("agreements:section", ["2"]),
    ("agreements:section_history", ["2"]),
    ("agreements:audit", []),
]


@pytest.mark.parametrize(("name", "args"), AGREEMENT_PAGES, ids=[n for n, _ in AGREEMENT_PAGES])
def test_a_foreign_agreement_gets_the_very_page_a_missing_one_gets(production, alice, name, args):
    foreign = start_strategic("90")
    url = reverse(name, args=[foreign.pk, *args])
    production.force_login(alice)

    forbidden = production.get(url)
    Agreement.objects.filter(pk=foreign.pk).delete()
    missing = production.get(url)

    assert forbidden.status_code == missing.status_code == 404
    assert without_csrf_tokens(forbidden.content.decode()) == without_csrf_tokens(missing.content.decode())
    html = assert_tells_nothing(forbidden)
    assert foreign.title not in html
    assert "Helsin" not in html


def test_an_unknown_address_gets_our_404_with_the_address_escaped(production, areas):
    response = production.get("/no-such-page/", {"q": '"><script>alert(1)</script>'})

    assert response.status_code == 404
    html = assert_tells_nothing(response)
    assert '<html lang="fi">' in html
    assert 'class="site-header"' in html
    assert "<script>alert(1)" not in html


def test_the_403_page_names_neither_the_agreement_nor_the_reason(production, alice):
    agreement = start_strategic("08")  # Alice's Tampere is a party; managing it is the county's
    production.force_login(alice)

    refused = production.post(
        reverse("agreements:party_add", args=[agreement.pk]),
        {"organisation": Municipality.objects.get(code="211").pk},
    )
    reason = production.get("/test-errors/403/")

    assert refused.status_code == reason.status_code == 403
    html = assert_tells_nothing(refused)
    for detail in (agreement.title, agreement.county.name_fi, "Tampere", "Nokia", "Kangasala"):
        assert detail not in html
    assert_tells_nothing(reason)
    assert b"CSRF" not in refused.content


def test_a_bad_request_gets_our_400_page(production, areas):
    suspicious = production.get("/test-errors/400/")
    wrong_host = production.get("/", headers={"host": "evil.example"})

    assert suspicious.status_code == wrong_host.status_code == 400
    assert_tells_nothing(suspicious)
    html = assert_tells_nothing(wrong_host)
    assert "evil.example" not in html
    assert 'class="site-header"' in html
