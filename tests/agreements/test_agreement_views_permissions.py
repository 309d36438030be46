"""Every agreements view × persona × own or foreign agreement.

"Own" is a Pirkanmaa interface agreement between the county, Tampere and Nokia; "foreign" is
Helsinki's strategic agreement. A user who may not see an agreement gets 404; one who may see it
but not do the thing gets 403; anonymous users are sent to log in where a page needs a login.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from agreements.models import Agreement, Signatory, Signature, Theme
from agreements.services import (
    agreement_start,
    annex_add,
    comment_add,
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    section_save,
)
from regions.models import Municipality, WellbeingCounty
from tests.agreements.factories import start_strategic
from tests.agreements.workflow_factories import change_proposal

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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def build(request, *, with_decisions: bool = True) -> dict:
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
        agreement.goal = goal_save(agreement=agreement, by=editor, title="Tavoite", theme=Theme.HOUSING)
        agreement.measure = measure_save(goal=agreement.goal, by=editor, description="Toimenpide")
        agreement.indicator = indicator_save(goal=agreement.goal, by=editor, name="Mittari")
        agreement.forum = forum_save(agreement=agreement, by=editor, name="Foorumi", level="expert")
        agreement.annex = annex_add(
            agreement=agreement,
            by=editor,
            title="Liite",
            upload=SimpleUploadedFile("liite.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        )
        agreement.proposal = change_proposal(agreement)
        _signatories(agreement, request.getfixturevalue("sam") if agreement == own else None)
    if with_decisions:
        for which, decided in build_decisions(request).items():
            world = own if which == "own" else foreign
            world.decided, world.decided_party, world.decision = decided, decided.decided_party, decided.decision
    return {"own": own, "foreign": foreign}


# --- Each party's decision: agreements in decision beside "own" and "foreign" -------------------
# "Own" in decision is the same Pirkanmaa interface agreement (the county, Tampere, Nokia), whose
# Tampere party Alice records for; "foreign" is Helsinki's strategic agreement, Dave records for
# Helsinki. Each party has a council decision of 60 days ago, its appeal period over, minutes as a PDF.
RECORDER = {"own": "alice", "foreign": "dave"}
MUNICIPALITY_OF = {"own": "837", "foreign": "091"}


def build_decisions(request) -> dict:
    """The agreements in decision alone (the decision cases need nothing of the drafts), each
    carrying ``decided`` (itself), ``decided_party`` and its ``decision`` as the cases read them."""
    from tests.agreements.decision_factories import decide, interface_in_decision, party_of, to_decision
    from tests.agreements.factories import coordinator_of

    built = {
        "own": interface_in_decision(request.getfixturevalue("carol")),
        "foreign": to_decision(start_strategic("90"), coordinator_of("90")[0]),
    }
    for which, agreement in built.items():
        agreement.decided = agreement
        agreement.decided_party = party_of(agreement, MUNICIPALITY_OF[which])
        agreement.decision = decide(
            agreement.decided_party,
            request.getfixturevalue(RECORDER[which]),
            minutes_file=SimpleUploadedFile("pk.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        )
    return built


def decision_args(a: Agreement, *more) -> list:
    return [a.decided.pk, a.decided_party.pk, *more]


def decision_form(a: Agreement) -> dict:
    values = {"body": "council", "decided_on": "16.3.2026", "section": "7", "outcome": "approved"}
    return {f"decision-{k}": v for k, v in values.items()}


def appeal_form(a: Agreement) -> dict:
    filed_on = a.decision.decided_on + datetime.timedelta(days=20)
    return {"appeal-court": "Hämeenlinnan hallinto-oikeus", "appeal-filed_on": f"{filed_on:%d.%m.%Y}"}


DECIDE = "decide"  # the party's own official (RECORDER) only
APPROVE = "approve"  # the current step's approvers only (none in these drafts)
DECISION_CASES = {
    "agreements:decisions": ("get", VIEW, True, lambda a: [a.decided.pk], {}),
    "agreements:decisions_csv": ("get", VIEW, True, lambda a: [a.decided.pk], {}),
    "agreements:decision": ("get", VIEW, True, decision_args, {}),
    "agreements:decision_record": ("post", DECIDE, True, decision_args, decision_form),
    "agreements:decision_update": (
        "post",
        DECIDE,
        True,
        lambda a: decision_args(a, a.decision.pk),
        decision_form,
    ),
    "agreements:decision_legal_force": ("post", DECIDE, True, lambda a: decision_args(a, a.decision.pk), {}),
    "agreements:decision_appeal": ("post", DECIDE, True, lambda a: decision_args(a, a.decision.pk), appeal_form),
    "agreements:decision_minutes": ("get", VIEW, True, lambda a: decision_args(a, a.decision.pk), {}),
}


# The party whose signatories the signing pages are asked about: Alice's Tampere (Sam signs for it),
# and Helsinki as the county (not the party the matrix removes: a signature keeps its party).
# Who may name that party's signatories: its officials (Helsinki's coordinator is not a persona), or
# the organiser's coordinator for a party with nobody in the portal; never the portal admin, who
# holds no role in the party.
NAMERS = {"own": {"alice"}, "foreign": set()}
SIGNERS = {"own": {"sam"}, "foreign": set()}


def _signatories(agreement: Agreement, user) -> None:
    """A signatory of the signing party, and another who signed outside the portal. Written directly:
    the services name signatories only once the text is frozen, and these agreements are drafts."""
    if user:
        party = agreement.parties.get(organisation__municipality__code="837")
    else:
        party = agreement.parties.get(organisation=agreement.county_id)
    agreement.signatory = Signatory.objects.create(party=party, name="S", title="T", authority="A", user=user)
    agreement.signed = Signatory.objects.create(party=party, name="P", title="T", authority="A", position=1)
    signature = Signature(
        signatory=agreement.signed, signed_at=timezone.now(), text_sha256="0" * 64, outside=True, signed_page_sha256="0"
    )
    signature.signed_page.save("p.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    signature.save()


def party(agreement: Agreement):
    return agreement.parties.exclude(organisation=agreement.county).first()


# name: (method, required level, needs login, url args, POST data)
CASES = {
    "agreements:list": ("get", None, True, lambda a: [], {}),
    "agreements:county": ("get", None, False, lambda a: [a.county.code], {}),
    "agreements:start": ("get", "start", True, lambda a: [a.county.code], {}),
    "agreements:detail": ("get", VIEW, True, lambda a: [a.pk], {}),
    "agreements:audit": ("get", MANAGE, True, lambda a: [a.pk], {}),
    "agreements:terms": ("get", MANAGE, True, lambda a: [a.pk], {}),
    "agreements:parties": ("get", VIEW, True, lambda a: [a.pk], {}),
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
    "agreements:party_row": ("get", MANAGE, True, lambda a: [a.pk, party(a).pk], {}),
    "agreements:party_remove": ("post", MANAGE, True, lambda a: [a.pk, party(a).pk], {}),
    "agreements:section": ("get", VIEW, True, lambda a: [a.pk, "2"], {}),
    "agreements:section_save": ("post", EDIT, True, lambda a: [a.pk, "2"], {"text": "<p>v2</p>", "base_version": 1}),
    "agreements:section_conflict": ("get", EDIT, True, lambda a: [a.pk, "2"], {}),
    "agreements:section_history": ("get", VIEW, True, lambda a: [a.pk, "2"], {}),
    "agreements:section_restore": ("post", EDIT, True, lambda a: [a.pk, "2"], {"number": 1, "base_version": 1}),
    "agreements:comment_add": ("post", COMMENT, True, lambda a: [a.pk, "2"], {"text": "Kommentti"}),
    "agreements:comment_resolve": ("post", COMMENT, True, lambda a: [a.pk, "2", a.comment.pk], {}),
    "agreements:goal_add": ("post", EDIT, True, lambda a: [a.pk], {"goal-new-title": "T", "goal-new-theme": "other"}),
    "agreements:goal_save": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk, a.goal.pk],
        lambda a: {f"goal-{a.goal.pk}-title": "T2", f"goal-{a.goal.pk}-theme": "other"},
    ),
    "agreements:measure_add": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk, a.goal.pk],
        lambda a: {f"measure-new-{a.goal.pk}-description": "M"},
    ),
    "agreements:measure_save": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk, a.goal.pk, a.measure.pk],
        lambda a: {f"measure-{a.measure.pk}-description": "M2"},
    ),
    "agreements:indicator_add": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk, a.goal.pk],
        lambda a: {f"indicator-new-{a.goal.pk}-name": "I", f"indicator-new-{a.goal.pk}-frequency": "yearly"},
    ),
    "agreements:indicator_save": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk, a.goal.pk, a.indicator.pk],
        lambda a: {f"indicator-{a.indicator.pk}-name": "I2", f"indicator-{a.indicator.pk}-frequency": "yearly"},
    ),
    "agreements:forum_add": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk],
        {"forum-new-name": "F", "forum-new-level": "expert"},
    ),
    "agreements:forum_save": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk, a.forum.pk],
        lambda a: {f"forum-{a.forum.pk}-name": "F2", f"forum-{a.forum.pk}-level": "expert"},
    ),
    "agreements:structured_delete": ("post", EDIT, True, lambda a: [a.pk, "measure", a.measure.pk], {}),
    "agreements:annex_add": (
        "post",
        EDIT,
        False,
        lambda a: [a.pk],
        lambda a: {
            "annex-title": "L",
            "annex-file": SimpleUploadedFile("l.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
    ),
    "agreements:annex_download": ("get", VIEW, True, lambda a: [a.pk, a.annex.pk], {}),
    "agreements:annex_remove": ("post", EDIT, True, lambda a: [a.pk, a.annex.pk], {}),
    # The workflow (agreements.workflow_views): each form's page; moving, starting an edition and
    # resolving a change proposal are for those who run the workflow, the editions' diff for readers.
    "agreements:workflow_move": ("get", MANAGE, True, lambda a: [a.pk, "consultation"], {}),
    "agreements:consultation_deadline": ("get", MANAGE, True, lambda a: [a.pk], {}),
    "agreements:edition_start": ("get", MANAGE, True, lambda a: [a.pk], {}),
    "agreements:edition_diff": ("get", VIEW, True, lambda a: [a.pk], {}),
    "agreements:change_proposal_resolve": ("get", MANAGE, True, lambda a: [a.pk, a.proposal.pk], {}),
    # Signing: these drafts refuse naming and removing (a message, back to the page) to whoever may.
    "agreements:signatures": ("get", VIEW, True, lambda a: [a.pk], {}),
    "agreements:signatory_add": (
        "post",
        "name",
        False,
        lambda a: [a.pk, a.signatory.party_id],
        lambda a: {f"party-{a.signatory.party_id}-{f}": "X" for f in ("name", "title", "authority")},
    ),
    "agreements:signatory_remove": ("post", "name", True, lambda a: [a.pk, a.signatory.pk], {}),
    "agreements:sign": ("get", "sign", True, lambda a: [a.pk, a.signatory.pk], {}),
    "agreements:sign_outside": ("get", "name", True, lambda a: [a.pk, a.signatory.pk], {}),
    "agreements:signed_page": ("get", VIEW, True, lambda a: [a.pk, a.signed.pk], {}),
    # The county's statutory negotiations: its coordinators, as those who start its agreements.
    "agreements:county_negotiations": ("get", "start", True, lambda a: [a.county.code], {}),
    # Approval before freezing (agreements.approval_views): only the current step's approvers, and
    # these drafts of kinds without approval steps have none: 403 to every reader, 404 to the rest.
    # The approvers of a kind with steps are tested in tests/tym/test_approval_views.py.
    "agreements:approval": ("post", APPROVE, True, lambda a: [a.pk], {"approval-outcome": "approved"}),
}
CASES.update(DECISION_CASES)
PUBLIC = {"agreements:county"}  # every other agreements page sends an anonymous visitor to log in
PERSONAS = ["alice", "bob", "carol", "sam", "olga", "dave", "erin", "admin_user", None]


def expected(name: str, which: str, persona: str | None) -> int:
    method, required, _login, _args, _data = CASES[name]
    if persona is None and name not in PUBLIC:
        return 302  # to the login page
    # The conflict page without a conflict, and a party's row without htmx, lead back to their page.
    ok = 302 if method == "post" or name in ("agreements:section_conflict", "agreements:party_row") else 200
    if required is None:
        return ok
    if required == "start":
        return ok if persona == "admin_user" or (persona == "carol" and which == "own") else 403
    level = LEVEL[which][persona]
    if level == NONE:
        return 404
    if required == DECIDE:
        return ok if persona == RECORDER[which] else 403
    if required == APPROVE:
        return 403
    if required in ("name", "sign"):
        return ok if persona in (NAMERS if required == "name" else SIGNERS)[which] else 403
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
    agreements = build_decisions(request) if name in DECISION_CASES else build(request, with_decisions=False)
    agreement = agreements[which]
    if persona:
        client.force_login(request.getfixturevalue(persona))
    method, _required, _login, args, data = CASES[name]
    url = reverse(name, args=args(agreement))
    payload = data(agreement) if callable(data) else data

    response = client.post(url, payload) if method == "post" else client.get(url)

    assert response.status_code == expected(name, which, persona), response.content[:300]


PERSONAS = ["alice", "bob", "carol", "sam", "olga", "dave", "erin", "admin_user"]


def test_the_permission_read_gives_what_guardian_gives(request):
    """``permissions`` reads a user's rights on an agreement (and the parties they speak for) with its
    own SQL; it must agree with guardian's checker for group grants, direct grants, superusers and
    deactivated users, and the parties must be those whose organisation the user holds a role in."""
    from django.http import Http404
    from guardian.core import ObjectPermissionChecker
    from guardian.shortcuts import assign_perm

    from agreements import permissions

    world = build(request, with_decisions=False)
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    assign_perm("agreements.comment_agreement", users["erin"], world["own"])  # a direct grant to one user
    deactivated = request.getfixturevalue("bob")
    deactivated.is_active = False
    deactivated.save()

    for name, user in users.items():
        for where, agreement in world.items():
            fresh = Agreement.objects.get(pk=agreement.pk)
            expected = {f"agreements.{p}" for p in ObjectPermissionChecker(user).get_perms(fresh)}
            # Asked of an agreement fetched elsewhere (a query of its own) …
            assert set(permissions._perms(user, fresh)) == expected, (name, where)
            speaks_for = fresh.parties.filter(organisation__user_roles__user=user).distinct()
            assert permissions.party_ids_of(user, fresh) == sorted(p.pk for p in speaks_for), (name, where)
            # … and of one fetched by get_agreement_for_user (columns of the same query).
            if permissions.VIEW in expected:
                fetched = permissions.get_agreement_for_user(user, agreement.pk)
                assert set(permissions._perms(user, fetched)) == expected, (name, where)
                assert permissions.party_ids_of(user, fetched) == permissions.party_ids_of(user, fresh)
            else:
                with pytest.raises(Http404):
                    permissions.get_agreement_for_user(user, agreement.pk)
    assert permissions._perms(users["erin"], Agreement.objects.get(pk=world["own"].pk)) == {
        "agreements.comment_agreement"
    }
    assert permissions._perms(deactivated, Agreement.objects.get(pk=world["own"].pk)) == frozenset()
