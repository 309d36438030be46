"""Markup, template and SQL injection through every text a user types, fed through the real forms.

Each payload goes into every user-editable text field, the way people enter it: Carol starts the
agreement and names a party, Alice writes, comments and fills in the goal table (3.2), the forums
(4.1) and an annex, and the portal admin names Alice in the admin. Every page that shows the text
must show it escaped and never as live markup; the export must hold it exactly as entered (data is
stored as typed and escaped on output). Where a field is shorter than the payload, the full
payload is refused with the form shown again, safely, and the longest part that fits is used.

The rich text of a section is sanitised on saving instead: tests/agreements/test_sanitize.py feeds
the allow-list the usual attacks; here the section page is only checked for live markup. Uploads
are checked by content and size in tests/agreements/test_structured_content.py.
"""

import json
from email.message import Message
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from agreements.models import Agreement, Comment, Party, Section
from agreements.sanitize import sanitize_html
from regions.models import Municipality
from tests.pages import live_markup, submit

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(1)",
    "sql": "'; DROP TABLE agreements_agreement; --",
    "template-variable": "{{ 7*7 }}",
    "template-tag": "{% debug %}",
    "svg": "<svg onload=alert(1)>",
    "rtl-override": "Sopimus \u202egnp.exe",
    "10k": "<script>alert(1)</script>" * 400,
}
SHORT = {name: payload for name, payload in PAYLOADS.items() if len(payload) < 100}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Page:
    """One page as a visitor gets it, and what is wrong with how it shows what was typed."""

    def __init__(self, label: str, response, problems: list[str], ok: tuple[int, ...] = (200,)):
        self.label, self.problems = label, problems
        self.html = response.content.decode()
        if response.status_code not in ok:
            problems.append(f"{label}: answered {response.status_code}")
        problems.extend(f"{label}: {p}" for p in live_markup(self.html))

    def shows(self, field: str, value: str) -> "Page":
        """``value`` is on the page escaped, and nowhere raw where escaping changes it."""
        if escape(value) not in self.html:
            self.problems.append(f"{self.label}: {field} is not shown escaped")
        self.never_raw(field, value)
        return self

    def never_raw(self, field: str, value: str) -> "Page":
        if escape(value) != value and value in self.html:
            self.problems.append(f"{self.label}: {field} is shown raw")
        return self


def fit(client, page: str, problems: list[str], field: str, payload: str, max_length: int | None, **form) -> str:
    """The payload if the field takes it; else the form refuses it safely and the part that fits is used."""
    if max_length is None or len(payload) <= max_length:
        return payload
    response = submit(client, page, **{field: payload}, **form)
    if response.status_code == 302:  # refused with a message on the page it leads back to
        response = client.get(response["Location"])
    label = f"{page} refusing {len(payload)} characters of {field}"
    Page(label, response, problems, ok=(200, 400)).never_raw(field, payload)
    return payload[:max_length]


def saved(response, problems: list[str], what: str) -> None:
    if response.status_code != 302:
        problems.append(f"{what}: not saved ({response.status_code})")


def enter_everywhere(client, users, payload: str, problems: list[str]) -> dict:
    """Every text field of the portal filled with ``payload`` through its form; what was stored."""
    typed: dict[str, str] = {}

    client.force_login(users["admin_user"])
    alice_page = reverse("admin:users_user_change", args=[users["alice"].pk])
    typed["first name"] = fit(client, alice_page, problems, "first_name", payload, 150)
    typed["last name"] = fit(client, alice_page, problems, "last_name", payload, 150)
    saved(submit(client, alice_page, first_name=typed["first name"], last_name=typed["last name"]), problems, "name")

    client.force_login(users["carol"])
    start = reverse("agreements:start", args=["08"])
    typed["title"] = fit(client, start, problems, "title", payload, 300, **interface())
    saved(submit(client, start, title=typed["title"], **interface()), problems, "start")
    agreement = Agreement.objects.get(title=typed["title"])
    party = agreement.parties.get(organisation__municipality__code="837")
    parties = reverse("agreements:parties", args=[agreement.pk])
    update = reverse("agreements:party_update", args=[agreement.pk, party.pk])
    prefix = f"party-{party.pk}-"
    # A business ID is checked (1234567-8 with its check digit): no payload is one.
    refused = submit(client, update, **{f"{prefix}business_id": payload[:9]})
    Page("party form refusing a business ID", refused, problems, ok=(400,)).never_raw("business ID", payload[:9])
    Page("parties after a refused business ID", client.get(parties), problems).never_raw("business ID", payload[:9])
    if refused.status_code != 400 or Party.objects.get(pk=party.pk).business_id != party.business_id:
        problems.append("a payload was taken as a business ID")
    typed["official name"] = fit(client, update, problems, f"{prefix}official_name", payload, 300)
    saved(submit(client, update, **{f"{prefix}official_name": typed["official name"]}), problems, "party")

    client.force_login(users["alice"])
    pk = agreement.pk
    section_2 = reverse("agreements:section", args=[pk, "2"])
    saved(submit(client, section_2, reverse("agreements:section_save", args=[pk, "2"]), text=payload), problems, "text")
    comment = reverse("agreements:comment_add", args=[pk, "2"])
    typed["comment"] = fit(client, section_2, problems, "text", payload, 5000, to=comment)
    saved(submit(client, section_2, comment, text=typed["comment"]), problems, "comment")

    goal_page = reverse("agreements:goal_add", args=[pk])
    typed["goal"] = fit(client, goal_page, problems, "goal-new-title", payload, 500, **{"goal-new-theme": "housing"})
    typed["goal description"] = payload
    goal_form = {"goal-new-title": typed["goal"], "goal-new-theme": "housing", "goal-new-description": payload}
    saved(submit(client, goal_page, **goal_form), problems, "goal")
    goal = agreement.goals.get()

    measure_page = reverse("agreements:measure_add", args=[pk, goal.pk])
    m = f"measure-new-{goal.pk}-"
    typed["measure"] = payload
    typed["schedule"] = fit(client, measure_page, problems, f"{m}schedule", payload, 200, **{f"{m}description": "M"})
    saved(
        submit(client, measure_page, **{f"{m}description": payload, f"{m}schedule": typed["schedule"]}),
        problems,
        "measure",
    )

    indicator_page = reverse("agreements:indicator_add", args=[pk, goal.pk])
    i = f"indicator-new-{goal.pk}-"
    typed["indicator"] = fit(client, indicator_page, problems, f"{i}name", payload, 300)
    typed["unit"] = fit(client, indicator_page, problems, f"{i}unit", payload, 50, **{f"{i}name": "I"})
    typed["data source"] = fit(client, indicator_page, problems, f"{i}data_source", payload, 200, **{f"{i}name": "I"})
    indicator = {f"{i}name": typed["indicator"], f"{i}unit": typed["unit"], f"{i}data_source": typed["data source"]}
    saved(submit(client, indicator_page, **indicator), problems, "indicator")

    forum_page = reverse("agreements:forum_add", args=[pk])
    level = {"forum-new-level": "expert"}
    typed["forum"] = fit(client, forum_page, problems, "forum-new-name", payload, 300, **level)
    typed["meets"] = fit(
        client, forum_page, problems, "forum-new-meeting_frequency", payload, 200, **level, **{"forum-new-name": "F"}
    )
    forum = {"forum-new-name": typed["forum"], "forum-new-meeting_frequency": typed["meets"], **level}
    saved(submit(client, forum_page, **forum), problems, "forum")

    annex_page = reverse("agreements:annex_add", args=[pk])
    typed["annex"] = fit(client, annex_page, problems, "annex-title", payload, 300, files=pdf())
    saved(submit(client, annex_page, files=pdf(), **{"annex-title": typed["annex"]}), problems, "annex")

    typed["agreement"] = agreement
    return typed


def interface() -> dict:
    """The start form's choices for an interface agreement of Tampere and Nokia (fewer parties, faster)."""
    tampere_and_nokia = Municipality.objects.filter(code__in=["837", "536"]).values_list("pk", flat=True)
    return {
        "kind": "interface",
        "main_theme": "children_and_youth",
        "municipalities": [str(pk) for pk in tampere_and_nokia],
    }


def pdf() -> dict:
    return {"annex-file": SimpleUploadedFile("liite.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_what_is_typed_is_shown_escaped_everywhere_and_exported_as_typed(client, alice, carol, admin_user, payload):
    problems: list[str] = []
    typed = enter_everywhere(client, {"alice": alice, "carol": carol, "admin_user": admin_user}, payload, problems)
    agreement = typed.pop("agreement")
    pk = agreement.pk
    goal = agreement.goals.get()
    measure, indicator, forum = goal.measures.get(), goal.indicators.get(), agreement.forums.get()
    name = f"{typed['first name']} {typed['last name']}"

    def page(label, url):
        return Page(label, client.get(url), problems)

    client.force_login(alice)
    page("overview", reverse("agreements:detail", args=[pk])).shows("title", typed["title"]).shows(
        "official name", typed["official name"]
    ).never_raw("goal", typed["goal"])
    page("section 2", reverse("agreements:section", args=[pk, "2"])).shows("title", typed["title"]).shows(
        "comment", typed["comment"]
    ).shows("name", name)
    page("section 3.2", reverse("agreements:section", args=[pk, "3.2"])).shows("goal", typed["goal"]).shows(
        "goal description", typed["goal description"]
    ).shows("measure", typed["measure"]).shows("schedule", typed["schedule"]).shows(
        "indicator", typed["indicator"]
    ).shows("unit", typed["unit"]).shows("data source", typed["data source"])
    page("section 4.1", reverse("agreements:section", args=[pk, "4.1"])).shows("forum", typed["forum"]).shows(
        "meets", typed["meets"]
    )
    page("section 10", reverse("agreements:section", args=[pk, "10"])).shows("annex", typed["annex"]).shows(
        "name", name
    )
    page("history", reverse("agreements:section_history", args=[pk, "2"])).shows("title", typed["title"]).shows(
        "name", name
    )
    page("parties", reverse("agreements:parties", args=[pk])).shows("official name", typed["official name"])
    page("my agreements", reverse("agreements:list")).shows("title", typed["title"])
    page("county's agreements", reverse("agreements:county", args=["08"])).shows("title", typed["title"])
    page("goal form", reverse("agreements:goal_save", args=[pk, goal.pk])).shows("goal", typed["goal"]).shows(
        "goal description", typed["goal description"]
    )
    page("measure form", reverse("agreements:measure_save", args=[pk, goal.pk, measure.pk])).shows(
        "measure", typed["measure"]
    ).shows("schedule", typed["schedule"])
    page("indicator form", reverse("agreements:indicator_save", args=[pk, goal.pk, indicator.pk])).shows(
        "indicator", typed["indicator"]
    ).shows("unit", typed["unit"]).shows("data source", typed["data source"])
    page("forum form", reverse("agreements:forum_save", args=[pk, forum.pk])).shows("forum", typed["forum"]).shows(
        "meets", typed["meets"]
    )
    client.force_login(carol)
    page("parties to manage", reverse("agreements:parties", args=[pk])).shows("official name", typed["official name"])
    party = agreement.parties.get(organisation__municipality__code="837")
    page("party form", reverse("agreements:party_update", args=[pk, party.pk])).shows(
        "official name", typed["official name"]
    )
    Page(
        "party form in its row",
        client.get(reverse("agreements:party_update", args=[pk, party.pk]), headers={"HX-Request": "true"}),
        problems,
    ).shows("official name", typed["official name"])
    page("audit log", reverse("agreements:audit", args=[pk])).never_raw("title", typed["title"])
    client.force_login(admin_user)
    page("admin list", reverse("admin:agreements_agreement_changelist")).shows("title", typed["title"])
    page("admin agreement", reverse("admin:agreements_agreement_change", args=[pk])).shows(
        "title", typed["title"]
    ).shows("official name", typed["official name"])

    out = StringIO()
    call_command("export_agreement", str(pk), stdout=out)
    bundle = json.loads(out.getvalue())
    (edition,) = bundle["editions"]
    exported = {
        "title": edition["agreement"]["title"],
        "official name": next(p["official_name"] for p in edition["parties"] if p["organisation"].get("code") == "837"),
        "comment": next(s for s in edition["sections"] if s["key"] == "2")["comments"][0]["text"],
        "goal": edition["goals"][0]["title"],
        "goal description": edition["goals"][0]["description"],
        "measure": edition["goals"][0]["measures"][0]["description"],
        "schedule": edition["goals"][0]["measures"][0]["schedule"],
        "indicator": edition["goals"][0]["indicators"][0]["name"],
        "unit": edition["goals"][0]["indicators"][0]["unit"],
        "data source": edition["goals"][0]["indicators"][0]["data_source"],
        "forum": edition["forums"][0]["name"],
        "meets": edition["forums"][0]["meeting_frequency"],
        "annex": edition["annexes"][0]["title"],
        "first name": next(u for u in bundle["users"] if u["username"] == "alice")["first_name"],
        "last name": next(u for u in bundle["users"] if u["username"] == "alice")["last_name"],
    }
    for field, value in exported.items():
        if value != typed[field]:
            problems.append(f"export: {field} is {value[:80]!r}, not as typed")
    section_text = next(s for s in edition["sections"] if s["key"] == "2")["text"]
    if section_text != sanitize_html(payload) or Section.objects.get(agreement=agreement, key="2").text != section_text:
        problems.append("export: the section's text is not the sanitised text")

    assert not problems, "\n".join(problems)


def test_sql_is_stored_as_text_and_the_tables_stay(client, carol, alice):
    sql = PAYLOADS["sql"]
    client.force_login(carol)
    submit(client, reverse("agreements:start", args=["08"]), title=sql, **interface())
    agreement = Agreement.objects.get(title=sql)
    client.force_login(alice)
    submit(
        client,
        reverse("agreements:section", args=[agreement.pk, "2"]),
        reverse("agreements:comment_add", args=[agreement.pk, "2"]),
        text=sql,
    )

    assert "agreements_agreement" in connection.introspection.table_names()
    assert Agreement.objects.filter(pk=agreement.pk, title=sql).exists()
    assert Comment.objects.get(section__agreement=agreement).text == sql


@pytest.mark.parametrize("payload", SHORT.values(), ids=SHORT.keys())
def test_a_template_payload_is_never_evaluated(client, carol, payload):
    client.force_login(carol)
    submit(client, reverse("agreements:start", args=["08"]), title=payload, **interface())
    agreement = Agreement.objects.get(title=payload)

    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()

    assert f'<h1 lang="fi">{escape(payload)}</h1>' in html


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_username_typed_at_login_comes_back_escaped(client, areas, admin_user, payload):
    wrong = {"username": payload, "password": "wrong password"}
    problems: list[str] = []
    Page("login", client.post(reverse("login"), wrong), problems).shows("username", payload)
    Page("admin's login", client.post(reverse("admin:login"), wrong), problems).shows("username", payload)

    client.force_login(admin_user)
    Page("audit log", client.get(reverse("audit:list")), problems).never_raw("username", payload)
    Page("lockouts", client.get(reverse("admin:axes_accessattempt_changelist")), problems).never_raw(
        "username", payload
    )

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "title", ["Liite\r\nSet-Cookie: pwned=1", 'Liite"; filename="evil.html', "Liite \u202elmth.pdf"]
)
def test_an_annex_title_cannot_split_or_rename_the_download(client, carol, alice, title):
    client.force_login(carol)
    submit(client, reverse("agreements:start", args=["08"]), title="Liitteet", **interface())
    agreement = Agreement.objects.get(title="Liitteet")
    client.force_login(alice)
    page = reverse("agreements:annex_add", args=[agreement.pk])
    submit(client, page, files=pdf(), **{"annex-title": title})
    annex = agreement.annexes.get()

    response = client.get(reverse("agreements:annex_download", args=[agreement.pk, annex.pk]))

    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    assert annex.title == title
    assert response.status_code == 200
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    assert "pwned" not in response.cookies
    # One parameter, holding the whole title: the browser saves what was typed, as a PDF.
    assert [name for name, _value in header.get_params(header="content-disposition")] == ["inline", "filename"]
    assert header.get_filename() == f"{title}.pdf"


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_a_username_longer_than_any_account_is_refused_by_the_form(client, areas, url):
    # It used to reach django-axes, whose 255-character column failed on PostgreSQL with a 500.
    response = client.post(reverse(url), {"username": "a" * 300, "password": "wrong password"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_day_typed_on_a_region_page_comes_back_escaped(client, areas, payload):
    problems: list[str] = []
    Page("regions", client.get(reverse("regions:county_list"), {"on": payload}), problems).shows("day", payload)

    assert not problems, "\n".join(problems)
