"""Every agreements view × persona × own or foreign agreement.

"Own" is a Pirkanmaa interface agreement between the county, Tampere and Nokia; "foreign" is
Helsinki's strategic agreement. A user who may not see an agreement gets 404; one who may see it
but not do the thing gets 403; anonymous users are sent to log in where a page needs a login.
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from agreements.models import Agreement, Theme
from agreements.services import agreement_start, comment_add, section_save
from regions.models import Municipality, WellbeingCounty
from tests.agreements.factories import start_strategic

NONE, VIEW, COMMENT, EDIT, MANAGE = range(5)
LEVEL = {
    "own": {
        "alice": EDIT,
        "bob": EDIT,
        "carol": MANAGE,
        "sam": COMMENT,
        "olga": VIEW,
        "dave": NONE,
        "erin": NONE,
        "admin_user": MANAGE,
        None: NONE,
    },
    "foreign": {
        "alice": NONE,
        "bob": NONE,
        "carol": NONE,
        "sam": NONE,
        "olga": NONE,
        "dave": EDIT,
        "erin": NONE,
        "admin_user": MANAGE,
        None: NONE,
    },
}


def build(request) -> dict:
    carol = request.getfixturevalue("carol")
    own = agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Perhekeskus",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code__in=["837", "536"]),
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )
    foreign = start_strategic("90")
    for agreement in (own, foreign):
        section = agreement.sections.get(key="2")
        editor = request.getfixturevalue("alice") if agreement == own else request.getfixturevalue("dave")
        section_save(section=section, text="<p>v1</p>", base_version=0, by=editor)
        agreement.comment = comment_add(section=section, text="Huomio", by=editor)
    return {"own": own, "foreign": foreign}


def party(agreement: Agreement):
    return agreement.parties.exclude(organisation=agreement.county).first()


# name: (method, required level, needs login, url args, POST data)
CASES = {
    "agreements:list": ("get", None, True, lambda a: [], {}),
    "agreements:county": ("get", None, False, lambda a: [a.county.code], {}),
    "agreements:start": ("get", "start", True, lambda a: [a.county.code], {}),
    "agreements:detail": ("get", VIEW, False, lambda a: [a.pk], {}),
    "agreements:parties": ("get", VIEW, False, lambda a: [a.pk], {}),
    "agreements:party_add": (
        "post",
        MANAGE,
        False,
        lambda a: [a.pk],
        lambda a: {"organisation": Municipality.objects.get(code="211").pk},
    ),
    "agreements:party_update": (
        "post",
        MANAGE,
        False,
        lambda a: [a.pk, party(a).pk],
        lambda a: {f"party-{party(a).pk}-official_name": "Uusi nimi", f"party-{party(a).pk}-business_id": ""},
    ),
    "agreements:party_remove": ("post", MANAGE, False, lambda a: [a.pk, party(a).pk], {}),
    "agreements:section": ("get", VIEW, False, lambda a: [a.pk, "2"], {}),
    "agreements:section_save": ("post", EDIT, False, lambda a: [a.pk, "2"], {"text": "<p>v2</p>", "base_version": 1}),
    "agreements:section_conflict": ("get", EDIT, False, lambda a: [a.pk, "2"], {}),
    "agreements:section_history": ("get", VIEW, False, lambda a: [a.pk, "2"], {}),
    "agreements:section_restore": ("post", EDIT, False, lambda a: [a.pk, "2"], {"number": 1, "base_version": 1}),
    "agreements:comment_add": ("post", COMMENT, False, lambda a: [a.pk, "2"], {"text": "Kommentti"}),
    "agreements:comment_resolve": ("post", COMMENT, False, lambda a: [a.pk, "2", a.comment.pk], {}),
}
PERSONAS = ["alice", "bob", "carol", "sam", "olga", "dave", "erin", "admin_user", None]


def expected(name: str, which: str, persona: str | None) -> int:
    method, required, needs_login, _args, _data = CASES[name]
    if persona is None and needs_login:
        return 302
    ok = 302 if method == "post" or name == "agreements:section_conflict" else 200
    if required is None:
        return ok
    if required == "start":
        return ok if persona == "admin_user" or (persona == "carol" and which == "own") else 403
    level = LEVEL[which][persona]
    if level == NONE:
        return 404
    return ok if level >= required else 403


def test_every_agreements_url_has_an_entry():
    patterns = get_resolver().url_patterns
    names = set()

    def walk(items, namespace=""):
        for item in items:
            if isinstance(item, URLPattern):
                names.add(f"{namespace}{item.name}")
            else:
                walk(item.url_patterns, f"{namespace}{item.namespace}:" if item.namespace else namespace)

    walk(patterns)
    assert {n for n in names if n.startswith("agreements:")} == set(CASES)


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
@pytest.mark.parametrize("name", list(CASES))
def test_permission_matrix(client, request, name, persona, which):
    agreements = build(request)
    agreement = agreements[which]
    if persona:
        client.force_login(request.getfixturevalue(persona))
    method, _required, _login, args, data = CASES[name]
    url = reverse(name, args=args(agreement))
    payload = data(agreement) if callable(data) else data

    response = client.post(url, payload) if method == "post" else client.get(url)

    assert response.status_code == expected(name, which, persona), response.content[:300]
