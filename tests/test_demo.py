import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from users.models import OrganisationRole, User
from users.services import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_creates_the_demo_users_and_prints_their_logins(areas):
    output = run_demo()

    for username in ("tampere", "nokia", "pirkanmaa", "tampereen-seutu", "kela", "admin"):
        assert username in output
        request = RequestFactory().post("/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in output
    roles = {
        (r.user.username, r.organisation.name_fi, r.role)
        for r in OrganisationRole.objects.select_related("user", "organisation")
    }
    assert roles == {
        ("tampere", "Tampere", "official"),
        ("nokia", "Nokia", "official"),
        ("pirkanmaa", "Pirkanmaan hyvinvointialue", "coordinator"),
        ("tampereen-seutu", "Tampereen seutu", "official"),
        ("kela", "Kansaneläkelaitos (Kela)", "official"),
    }
    assert User.objects.get(username="admin").is_superuser


def test_demo_twice_changes_nothing(areas):
    run_demo()
    before = (
        User.objects.count(),
        OrganisationRole.objects.count(),
        list(User.objects.values_list("username", "groups")),
    )

    output = run_demo()

    assert "Loaded: 0 created, 0 updated" in output
    after = (
        User.objects.count(),
        OrganisationRole.objects.count(),
        list(User.objects.values_list("username", "groups")),
    )
    assert after == before


def test_demo_refuses_to_run_in_production(areas, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        run_demo()
    assert not User.objects.filter(username="admin").exists()


def test_demo_has_pirkanmaas_agreement_with_goals_comments_and_a_resolved_conflict(areas):
    from agreements.models import Agreement, Comment, SectionVersion

    run_demo()
    run_demo()

    agreement = Agreement.objects.get(kind=Agreement.Kind.STRATEGIC)
    assert agreement.parties.filter(organisation__kind="municipality").count() == 23
    assert agreement.goals.count() == 6
    assert all(g.measures.exists() and g.indicators.exists() for g in agreement.goals.all())
    threads = Comment.objects.filter(section__agreement=agreement, parent__isnull=True)
    assert threads.filter(resolved_at__isnull=True).exists() and threads.filter(resolved_at__isnull=False).exists()
    assert SectionVersion.objects.filter(section__agreement=agreement, resolved_conflict=True).count() == 1
    assert agreement.forums.count() == 3


def test_demo_has_an_agreement_in_decision_with_every_kind_of_decision_and_one_in_force(areas, client):
    from agreements import decisions
    from agreements.demo_workflow import IN_DECISION_TITLE, IN_FORCE_TITLE
    from agreements.models import Agreement, ChangeProposal, Decision

    run_demo()
    run_demo()

    deciding = Agreement.objects.get(title=IN_DECISION_TITLE)
    assert deciding.status == Agreement.Status.IN_DECISION and len(deciding.text_sha256) == 64
    newest = decisions.newest_decisions(deciding)
    outcomes = {party.official_name: newest.get(party.pk) for party in deciding.parties.all()}
    assert outcomes["Lempäälä"] is None and outcomes["Pirkkala"] is None  # pending
    assert outcomes["Nokia"].outcome == Decision.Outcome.RETURNED
    assert outcomes["Kangasala"].legal_force == Decision.LegalForce.FINAL and outcomes["Kangasala"].entered_for_party
    assert outcomes["Tampere"].is_approval and decisions.appeal_period_running(outcomes["Tampere"], _today())
    assert outcomes["Ylöjärvi"].change_proposal.status == ChangeProposal.Status.OPEN
    summary = decisions.rollup(deciding)
    assert (summary.approved, summary.returned, summary.pending, summary.legally_final) == (4, 1, 2, 2)

    in_force = Agreement.objects.get(title=IN_FORCE_TITLE)
    assert in_force.status == Agreement.Status.IN_FORCE and in_force.in_force_from is not None
    assert all(s.signatories.get().signature.outside for s in in_force.parties.all())
    page = client.get(f"/register/{in_force.pk}/")
    assert page.status_code == 200 and IN_FORCE_TITLE in page.content.decode()
    assert client.get(f"/register/{deciding.pk}/").status_code == 404


def _today():
    from django.utils import timezone

    return timezone.localdate()
