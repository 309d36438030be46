import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from agreements.models import Agreement, Event, Party
from agreements.permissions import can_edit_agreement
from agreements.services import (
    SectionConflict,
    annex_add,
    comment_add,
    comment_resolve,
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    section_save,
)
from tests.agreements.factories import start_strategic
from users.models import User

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def rich_agreement(alice, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = start_strategic(include_regional_council=True, themes=["wellbeing", "employment"])
    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Alku</p>", base_version=0, by=alice)
    with pytest.raises(SectionConflict):
        section_save(section=section, text="<p>Bob</p>", base_version=0, by=bob)
    section_save(section=section, text="<p>Alku ja Bob</p>", base_version=1, by=bob, resolves_conflict=True)
    thread = comment_add(section=section, text="Onko tämä selvä?", by=alice)
    comment_add(section=section, text="On.", by=bob, parent=thread)
    comment_resolve(comment=thread, by=alice)
    comment_add(section=agreement.sections.get(key="7"), text="Seuranta puuttuu", by=bob)
    parties = list(agreement.parties.all())
    goal = goal_save(
        agreement=agreement, by=alice, title="Hyvinvointi", theme="wellbeing", responsible_parties=parties[:2]
    )
    measure_save(
        goal=goal, by=alice, description="Toimi", lead_party=parties[0], co_parties=parties[1:3], schedule="2026"
    )
    indicator_save(
        goal=goal,
        by=alice,
        name="Mittari",
        unit="%",
        baseline_value="7.5",
        baseline_year=2023,
        target_value="5",
        target_year=2028,
        data_source="Sotkanet",
        sotkanet_id=123,
        frequency="yearly",
    )
    forum_save(
        agreement=agreement,
        by=alice,
        name="Foorumi",
        level="political",
        chair=parties[0],
        seats={parties[0]: 3, parties[1]: 1},
    )
    annex_add(agreement=agreement, by=alice, title="Päätös", upload=SimpleUploadedFile("p.pdf", PDF))
    return agreement


def export(agreement: Agreement) -> dict:
    out = io.StringIO()
    call_command("export_agreement", str(agreement.pk), stdout=out)
    return json.loads(out.getvalue())


def without_import_event(bundle: dict) -> dict:
    bundle = dict(bundle)
    bundle["events"] = [e for e in bundle["events"] if e["kind"] != Event.Kind.IMPORTED]
    return bundle


def test_the_bundle_holds_everything(rich_agreement):
    bundle = export(rich_agreement)

    assert len(bundle["parties"]) == 25
    section = next(s for s in bundle["sections"] if s["key"] == "2")
    assert [v["number"] for v in section["versions"]] == [1, 2]
    assert section["versions"][1]["resolved_conflict"] is True
    assert [c["parent"] for c in section["comments"]] == [None, 1]
    assert bundle["goals"][0]["indicators"][0]["baseline_value"] == "7.500"
    assert bundle["forums"][0]["seats"] == [{"party": 1, "seats": 3}, {"party": 2, "seats": 1}]
    assert bundle["annexes"][0]["size"] == len(PDF)
    assert {u["username"] for u in bundle["users"]} >= {"alice", "bob", "coordinator-08"}


def test_export_then_import_into_a_database_without_the_agreement_is_equal(rich_agreement, tmp_path):
    bundle = export(rich_agreement)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    rich_agreement.delete()
    User.objects.filter(username="bob").delete()  # a user the target database does not have

    call_command("import_agreement", str(path), stdout=io.StringIO())

    restored = Agreement.objects.get()
    assert without_import_event(export(restored)) == bundle
    assert not User.objects.get(username="bob").is_active
    alice = User.objects.get(username="alice")
    assert can_edit_agreement(alice, restored)  # permissions come back with the parties


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda b: b.update(format="something else"), "not a yhdyspinta-agreement bundle"),
        (lambda b: b["parties"][3]["organisation"].update(code="999"), "parties[3]: organisation"),
        (lambda b: b["parties"].pop(), "party ref 25 is used but not listed"),
        (lambda b: b["annexes"][0].update(sha256="0" * 64), "annexes[0]: the content does not match"),
        (lambda b: b["sections"][0].pop("versions"), "incomplete or malformed"),
    ],
)
def test_a_bad_bundle_is_refused_whole(rich_agreement, tmp_path, spoil, message):
    bundle = export(rich_agreement)
    bundle["parties"][24]["ref"] = 25
    spoil(bundle)
    if message.startswith("party ref"):
        bundle["goals"][0]["responsible_parties"] = [25]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    before = (Agreement.objects.count(), Party.objects.count(), sorted(p.name for p in tmp_path.rglob("*.pdf")))

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_agreement", str(path), stdout=io.StringIO())

    assert (Agreement.objects.count(), Party.objects.count(), sorted(p.name for p in tmp_path.rglob("*.pdf"))) == before


def test_a_file_that_is_not_json_names_the_line(tmp_path, areas):
    path = tmp_path / "bundle.json"
    path.write_text('{\n  "format": "yhdyspinta-agreement",\n  oops\n}', encoding="utf-8")

    with pytest.raises(CommandError, match=r"bundle.json:3: not valid JSON"):
        call_command("import_agreement", str(path))


def test_export_of_a_missing_agreement_says_so(areas):
    with pytest.raises(CommandError, match="there is no agreement 999"):
        call_command("export_agreement", "999")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda b: b["goals"][0].update(theme="not-a-theme"), "goals[0]"),
        (lambda b: b["sections"][0].update(key="a/b"), "sections[0]"),
        (lambda b: b["events"][0].update(kind="bogus"), "events[0]"),
    ],
)
def test_an_import_validates_every_object(rich_agreement, tmp_path, spoil, message):
    bundle = export(rich_agreement)
    spoil(bundle)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_agreement", str(path), stdout=io.StringIO())
    assert Agreement.objects.count() == 1


def test_an_imported_annex_must_be_a_pdf(rich_agreement, tmp_path):
    import base64
    import hashlib

    bundle = export(rich_agreement)
    html = b"<html><script>alert(1)</script></html>"
    bundle["annexes"][0].update(content_base64=base64.b64encode(html).decode(), sha256=hashlib.sha256(html).hexdigest())
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape("annexes[0]: The file is not a PDF document")):
        call_command("import_agreement", str(path), stdout=io.StringIO())


def test_an_import_reads_only_the_fields_it_knows(rich_agreement, tmp_path):
    from agreements.models import Indicator

    other = Indicator.objects.get()
    bundle = export(rich_agreement)
    bundle["goals"][0]["indicators"][0]["goal_id"] = other.goal_id  # try to attach to an existing goal
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")

    call_command("import_agreement", str(path), stdout=io.StringIO())

    assert Indicator.objects.filter(goal_id=other.goal_id).count() == 1
    assert Indicator.objects.count() == 2
