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

    for username in (
        "tampere",
        "nokia",
        "pirkanmaa",
        "tampereen-seutu",
        "kela",
        "paijat-hame",
        "lahti-tyollisyys",
        "admin",
    ):
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
        ("paijat-hame", "Päijät-Hämeen hyvinvointialue", "coordinator"),
        ("lahti-tyollisyys", "Lahti", "official"),
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


def test_demo_has_pirkanmaas_tym_groups_with_deputies_and_an_agreement_awaiting_the_county(areas, client):
    from agreements import approvals, kinds, permissions
    from agreements.models import Agreement
    from tym.demo import TAMPERE_TITLE
    from tym.models import GroupMember, SteeringGroup

    run_demo()
    run_demo()

    groups = {g.name: g for g in SteeringGroup.objects.filter(county__code="08").prefetch_related("employment_areas")}
    assert {name: [a.code for a in g.employment_areas.all()] for name, g in groups.items()} == {
        "Tampereen seutu": ["39"],
        "Läntinen Pirkanmaa": ["21"],
        "Eteläinen Keski-Suomi": ["06"],  # the employment area of Pirkanmaa and Keski-Suomi
    }
    for group in groups.values():
        members = list(group.members.select_related("organisation"))
        assert {(m.role, m.organisation.kind) for m in members} == {
            (GroupMember.Role.CHAIR, "employment_authority"),
            (GroupMember.Role.VICE_CHAIR, "county"),
            (GroupMember.Role.MEMBER, "kela"),
        }
        assert all(m.deputy_name and m.deputy_title for m in members)

    agreement = Agreement.objects.get(title=TAMPERE_TITLE)
    assert agreement.status == Agreement.Status.SUBMITTED and agreement.tym.group == groups["Tampereen seutu"]
    assert [c.key for c in kinds.checks_of(agreement) if not c.ok] == []
    assert approvals.current_step(agreement).key == "county"
    staffed = {row.party.organisation.kind for row in agreement.tym_staff.select_related("party__organisation")}
    assert staffed == {"employment_authority", "county", "kela"}
    assert agreement.tym.cost_key == "staff" and agreement.tym.kela_participation == "own_staff"
    coordinator = User.objects.get(username="pirkanmaa")
    assert permissions.approval_party(coordinator, agreement, approvals.current_step(agreement)) is not None
    client.force_login(coordinator)
    assert client.get(f"/agreements/{agreement.pk}/").status_code == 200


def test_demo_has_paijat_hames_tym_agreement_of_two_authorities_in_force(areas):
    from agreements import decisions
    from agreements.models import Agreement, Approval
    from tym.demo import PAIJAT_HAME_TITLE

    run_demo()
    run_demo()

    agreement = Agreement.objects.get(title=PAIJAT_HAME_TITLE)
    assert agreement.status == Agreement.Status.IN_FORCE and agreement.in_force_from is not None
    assert sorted(a.code for a in agreement.tym.group.employment_areas.all()) == ["19", "31"]  # Lahti, Päijät-Häme
    kinds_ = sorted(p.organisation.kind for p in agreement.parties.select_related("organisation"))
    assert kinds_ == ["county", "employment_authority", "employment_authority", "kela"]
    assert list(agreement.approvals.values_list("step", "outcome")) == [
        ("county", Approval.Outcome.APPROVED),
        ("kela", Approval.Outcome.APPROVED),
    ]
    newest = decisions.newest_decisions(agreement)
    assert all(newest[p.pk].is_approval for p in agreement.parties.all())
    assert all(p.signatories.get().signature is not None for p in agreement.parties.all())
