"""Agreements in the states the register must tell apart, built with the real services.

Content is written while the agreement is a draft, then its status is set directly: the workflow's
own moves are tested elsewhere, and a frozen text refuses content changes.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import Agreement, Decision, Signatory, Signature, Theme
from agreements.services import annex_add, comment_add, forum_save, goal_save, section_save
from regions.models import Municipality, WellbeingCounty
from tests.agreements.factories import start_strategic
from tests.conftest import make_user
from users.models import Role

SECRET_COMMENT = "Tämä kommentti ei kuulu julkisuuteen"


def written(agreement: Agreement, by, text: str) -> Agreement:
    section = agreement.sections.get(key="2")
    section_save(section=section, text=f"<p>{text}</p>", base_version=section.version, by=by)
    comment_add(section=section, by=by, text=SECRET_COMMENT)
    return agreement


def furnished(agreement: Agreement, by) -> Agreement:
    """Written, with a goal, a forum and an annex."""
    written(agreement, by, "Julkinen sopimusteksti.")
    goal_save(agreement=agreement, by=by, title="Nuorten hyvinvointi", theme=Theme.CHILDREN_AND_YOUTH)
    forum_save(agreement=agreement, by=by, name="Hyvinvointifoorumi", level="executive")
    annex_add(
        agreement=agreement,
        by=by,
        title="Palvelukartta",
        upload=SimpleUploadedFile("kartta.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    return agreement


def with_status(agreement: Agreement, status: str, **fields) -> Agreement:
    Agreement.objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def decided_and_signed(
    agreement: Agreement, *, signer_name: str = "Anna Allekirjoittaja", signer=None, party=None
) -> Decision:
    party = party or agreement.parties.get(organisation__municipality__code="837")
    decision = Decision.objects.create(
        party=party,
        body=Decision.Body.COUNCIL,
        decided_on=datetime.date(2025, 9, 15),
        section="87",
        outcome=Decision.Outcome.APPROVED,
        minutes_url="https://www.tampere.fi/poytakirjat/2025-09-15",
        diary_number="TRE:1234/2025",
    )
    signatory = Signatory.objects.create(
        party=party, name=signer_name, title="Kaupunginjohtaja", authority="Hallintosääntö § 45", user=signer
    )
    Signature.objects.create(
        signatory=signatory,
        signed_at=timezone.make_aware(datetime.datetime(2025, 10, 1, 12, 0)),
        text_sha256="a" * 64,
        user=signer,
        second_factor="TOTP",
    )
    return decision


def public_world() -> dict:
    """An agreement in force (written, with a goal, a forum, an annex, a decision and a signature), one
    in decision (with a decision) and a draft, all of Pirkanmaa, each with a comment."""
    coordinator = make_user("koordinaattori-pirkanmaa", WellbeingCounty.objects.get(code="08"), Role.COORDINATOR)
    coordinator.email = "koordinaattori@pirkanmaa.example"
    coordinator.save()
    official = make_user("virkailija-tampere", Municipality.objects.get(code="837"))
    official.email = "virkailija@tampere.example"
    official.save()
    signer = make_user("allekirjoittaja-tampere", Municipality.objects.get(code="837"), Role.SIGNATORY)

    in_force = furnished(start_strategic(title="Voimassa oleva yhteistyösopimus"), official)
    decided_and_signed(in_force, signer=signer)
    with_status(in_force, Agreement.Status.IN_FORCE, in_force_from=datetime.date(2025, 10, 1), text_sha256="b" * 64)

    in_decision = written(start_strategic(title="Päätöksenteossa oleva sopimus"), official, "Keskeneräinen teksti.")
    decided_and_signed(in_decision, signer_name="Keskeneräinen Allekirjoittaja")
    with_status(in_decision, Agreement.Status.IN_DECISION)

    draft = written(start_strategic(title="Luonnos jota kukaan ei saa nähdä"), official, "Luonnoksen teksti.")
    return {
        "in_force": in_force,
        "in_decision": in_decision,
        "draft": draft,
        "users": [coordinator, official, signer],
    }
