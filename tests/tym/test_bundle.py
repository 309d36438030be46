"""A TYM agreement's bundle carries its terms, its steering group, its approvals and submission."""

import copy
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from agreements.canonical import text_sha256
from agreements.models import Agreement, Approval
from agreements.permissions import can_edit_agreement, can_run_workflow
from agreements.services import workflow
from agreements.services.approvals import approval_record
from agreements.services.editions import edition_start
from regions.models import EmploymentArea
from tests.conftest import make_user
from tests.tym.builders import complete, group_with_members, people, tym_agreement
from tym.models import AuthorityShare, GroupMember, StaffRow, SteeringGroup, TymAgreement
from users.models import User

pytestmark = pytest.mark.postgres
S = Agreement.Status


def export(agreement: Agreement) -> dict:
    out = io.StringIO()
    call_command("export_agreement", str(agreement.pk), stdout=out)
    return json.loads(out.getvalue())


def without_import_event(bundle: dict) -> dict:
    bundle = copy.deepcopy(bundle)
    for edition in bundle["editions"]:
        edition["events"] = [e for e in edition["events"] if e["kind"] != "imported"]
    return bundle


def write(bundle: dict, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def import_(bundle: dict, tmp_path) -> Agreement:
    call_command("import_agreement", str(write(bundle, tmp_path)), stdout=io.StringIO())
    return Agreement.objects.get(kind="tym")


def two_authority_draft(who) -> Agreement:
    """A draft of a group of two employment areas whose authorities split their share 60/40."""
    group = group_with_members(who["coordinator"], areas=("39", "21"), name="Tampereen ja Läntisen Pirkanmaan")
    agreement = complete(tym_agreement(group, who["drafter"]))
    TymAgreement.objects.filter(agreement=agreement).update(
        authority_split=TymAgreement.AuthoritySplit.FIXED,
        authority_split_basis="Asukasluvun mukaan",
        expected_clients=420,
        county_percent=Decimal("45.50"),
    )
    authorities = agreement.parties.filter(organisation__kind="employment_authority").order_by("position")
    for party, percent in zip(authorities, ("60.00", "40.00"), strict=True):
        AuthorityShare.objects.create(agreement=agreement, party=party, percent=Decimal(percent))
    return agreement


def frozen_after_a_return(who) -> Agreement:
    """Returned once by the county with comments, then approved by the county and Kela: negotiated."""
    agreement = complete(tym_agreement(group_with_members(who["coordinator"]), who["drafter"]))
    workflow.transition(agreement=agreement, to=S.SUBMITTED, by=who["drafter"])
    approval_record(
        agreement=agreement,
        outcome=Approval.Outcome.RETURNED,
        by=who["coordinator"],
        comments="Henkilöstön sijainnit puuttuvat.",
        section_key="5",
    )
    workflow.transition(agreement=agreement, to=S.SUBMITTED, by=who["drafter"])
    for by in (who["coordinator"], who["kela"]):
        approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=by)
    agreement.refresh_from_db()
    assert agreement.status == S.NEGOTIATED
    return agreement


def exported_then_rolled_back(build) -> dict:
    """The bundle of what ``build`` makes, exported from a state that is then rolled back: the
    database is as before it, without the agreement, its group or its people."""
    with transaction.atomic():
        bundle = export(build(people()))
        transaction.set_rollback(True)
    assert not Agreement.objects.exists() and not SteeringGroup.objects.exists()
    return bundle


def test_the_bundle_carries_the_terms_and_the_group(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bundle = export(two_authority_draft(people()))

    [edition] = bundle["editions"]
    terms = edition["terms"]
    assert terms["group"]["name"] == "Tampereen ja Läntisen Pirkanmaan"
    assert (terms["group"]["county"], terms["group"]["employment_areas"], terms["group"]["lead_authority"]) == (
        "08",
        ["21", "39"],
        "39",
    )
    assert {m["role"] for m in terms["group"]["members"]} == {"chair", "vice_chair", "member"}
    assert all(m["deputy_name"] for m in terms["group"]["members"])
    assert terms["agreement"]["county_percent"] == "45.50" and terms["agreement"]["expected_clients"] == 420
    assert terms["locations"][0]["municipality"] == "837"
    parties = {p["ref"]: p["organisation"]["kind"] for p in edition["parties"]}
    assert sorted(parties[row["party"]] for row in terms["staff"]) == [
        "county",
        "employment_authority",
        "employment_authority",
        "kela",
    ]
    assert [s["percent"] for s in terms["authority_shares"]] == ["60.00", "40.00"]
    assert [c["annual_amount"] for c in terms["costs"]] == ["12000.00", "3000.00"]


def test_a_draft_restores_into_a_fresh_database_with_its_group(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bundle = exported_then_rolled_back(two_authority_draft)

    restored = import_(bundle, tmp_path)

    assert without_import_event(export(restored)) == bundle
    group = SteeringGroup.objects.get()
    assert restored.tym.group == group and group.members.count() == 3
    assert sorted(group.employment_areas.values_list("code", flat=True)) == ["21", "39"]
    assert StaffRow.objects.filter(agreement=restored, location__isnull=False).count() == 4
    assert not User.objects.get(username="erin").is_active  # unknown users are created inactive
    # The permissions come back with the parties and the group: an official of the lead authority drafts.
    drafter = make_user("jari", EmploymentArea.objects.get(code="39"))
    assert can_edit_agreement(drafter, restored) and can_run_workflow(drafter, restored)


def test_a_frozen_agreement_restores_with_its_approvals_and_its_hash(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bundle = exported_then_rolled_back(frozen_after_a_return)
    [edition] = bundle["editions"]
    assert [(a["step"], a["outcome"]) for a in edition["approvals"]] == [
        ("county", "returned"),
        ("county", "approved"),
        ("kela", "approved"),
    ]
    assert edition["approvals"][0]["thread"] is not None and edition["agreement"]["submitted_at"]

    restored = import_(bundle, tmp_path)

    assert restored.status == S.NEGOTIATED and restored.text_sha256 == text_sha256(restored)
    assert without_import_event(export(restored)) == bundle
    returned = Approval.objects.get(outcome=Approval.Outcome.RETURNED)
    assert returned.thread.text == "Henkilöstön sijainnit puuttuvat." and returned.thread.section.key == "5"
    assert returned.decided_by.username == "carol"


def test_an_import_reuses_the_group_the_database_has(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = two_authority_draft(people())
    group = agreement.tym.group
    bundle = export(agreement)
    agreement.delete()

    restored = import_(bundle, tmp_path)

    assert SteeringGroup.objects.get() == group == restored.tym.group
    assert GroupMember.objects.count() == 3
    assert without_import_event(export(restored)) == bundle


def test_a_group_of_the_same_name_with_other_areas_is_refused(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = two_authority_draft(people())
    bundle = export(agreement)
    agreement.delete()
    bundle["editions"][0]["terms"]["group"]["employment_areas"] = ["39"]

    with pytest.raises(CommandError, match=re.escape("editions[0].terms.group: the steering group")):
        import_(bundle, tmp_path)
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda t: t["locations"][0].update(municipality="999"),
            "editions[0].terms.locations[0]: municipality '999' is not in this database",
        ),
        (
            lambda t: t["group"].update(lead_authority="98"),
            "editions[0].terms.group.lead_authority: employment area '98' is not in this database",
        ),
        (lambda t: t["staff"][0].update(party=99), "editions[0].terms.staff[0]: party ref 99 is used"),
        (lambda t: t["staff"][0].update(amount="3,5"), "editions[0].terms.staff[0]: amount '3,5' is not a number"),
        (lambda t: t["agreement"].pop("kela_participation"), "editions[0].terms.agreement: kela_participation is"),
    ],
)
def test_a_bad_bundle_is_refused_whole_naming_the_place(areas, settings, tmp_path, spoil, message):
    settings.MEDIA_ROOT = tmp_path
    bundle = exported_then_rolled_back(two_authority_draft)
    spoil(bundle["editions"][0]["terms"])

    with pytest.raises(CommandError, match=re.escape(message)):
        import_(bundle, tmp_path)
    assert not Agreement.objects.exists() and not SteeringGroup.objects.exists()


def test_a_tym_bundle_without_its_terms_is_refused(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bundle = exported_then_rolled_back(two_authority_draft)
    del bundle["editions"][0]["terms"]

    with pytest.raises(CommandError, match=re.escape("editions[0].terms: a TYM agreement's terms and group")):
        import_(bundle, tmp_path)


def frozen_then_a_new_edition(who) -> Agreement:
    frozen = frozen_after_a_return(who)
    new = edition_start(agreement=frozen, by=who["drafter"], reason="Henkilöstötarve kasvaa")
    StaffRow.objects.filter(agreement=new).update(amount=Decimal("4.00"))
    return new


def test_a_series_of_editions_restores_into_one_group(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bundle = exported_then_rolled_back(frozen_then_a_new_edition)
    one, two = bundle["editions"]
    assert one["terms"]["group"] == two["terms"]["group"]
    assert {row["amount"] for row in two["terms"]["staff"]} == {"4.00"}

    call_command("import_agreement", str(write(bundle, tmp_path)), stdout=io.StringIO())

    first, second = Agreement.objects.order_by("edition")
    assert (first.status, second.status, second.previous_edition) == (S.NEGOTIATED, S.DRAFT, first)
    assert SteeringGroup.objects.get() == first.tym.group == second.tym.group
    assert without_import_event(export(second)) == bundle
