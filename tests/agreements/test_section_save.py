"""Saving a section: the size limit of its text, and the version a save reports.

A section's sanitised text is at most SECTION_TEXT_MAX_BYTES (1 MB): a larger save is refused with
a message, in the autosave's answer and next to the field of the form, and the text saved before
stays as it was. A save reports the version it wrote itself, never one that committed after it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.html import escape

from agreements.models import Agreement, SectionVersion, Theme
from agreements.services import agreement_start, section_save
from regions.models import Municipality, WellbeingCounty

AUTOSAVE = {"X-Requested-With": "fetch"}
LIMIT = 1000 * 1000


@pytest.fixture
def section(carol, alice, bob):
    """Section 2 of Carol's interface agreement between Tampere (Alice) and Nokia (Bob), saved once."""
    agreement = agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Perhekeskus",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code__in=["837", "536"]),
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )
    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Ensimmäinen versio</p>", base_version=0, by=alice)
    return section


@pytest.fixture
def client(client):
    """Pages and answers in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def paragraph_of(size: int, letter: str = "a") -> str:
    """One paragraph of exactly ``size`` bytes of sanitised HTML."""
    return "<p>" + letter * ((size - 7) // len(letter.encode())) + "</p>"


def assert_unchanged(section) -> None:
    section.refresh_from_db()
    assert (section.version, section.text) == (1, "<p>Ensimmäinen versio</p>")
    assert section.versions.count() == 1


# --- The size limit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [paragraph_of(4_800_000), "<p>x</p>" * 200_000, paragraph_of(LIMIT + 2, "ä")],
    ids=["4.8 MB", "200,000 paragraphs", "1 MB and a byte of two-byte letters"],
)
def test_a_text_over_a_megabyte_is_refused_and_the_earlier_version_is_kept(section, alice, text):
    with pytest.raises(ValidationError) as refused:
        section_save(section=section, text=text, base_version=1, by=alice)

    assert "too long" in refused.value.message_dict["text"][0]
    assert_unchanged(section)


def test_a_text_of_a_megabyte_is_saved(section, alice):
    version = section_save(section=section, text=paragraph_of(LIMIT), base_version=1, by=alice)

    assert version.number == 2
    assert len(version.text.encode()) == LIMIT


def test_the_limit_is_of_the_sanitised_text(section, alice):
    # A megabyte of script that sanitising removes leaves a short text, which is saved.
    text = "<p>Lyhyt</p>" + "<script>alert(1)</script>" * 50_000

    version = section_save(section=section, text=text, base_version=1, by=alice)

    assert version.text == "<p>Lyhyt</p>"


def test_the_limit_is_a_setting(section, alice, settings):
    settings.SECTION_TEXT_MAX_BYTES = 100

    with pytest.raises(ValidationError):
        section_save(section=section, text=paragraph_of(101), base_version=1, by=alice)
    assert section_save(section=section, text=paragraph_of(100), base_version=1, by=alice).number == 2


def test_the_autosave_is_told_why_a_long_text_was_refused(client, section, alice):
    client.force_login(alice)

    response = client.post(
        reverse("agreements:section_save", args=[section.agreement_id, "2"]),
        {"text": paragraph_of(LIMIT + 1), "base_version": 1},
        headers=AUTOSAVE,
    )

    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == "invalid"
    assert "The text is too long to save: 1.1 MB, when a section holds at most 1.0 MB." in answer["message"]
    assert "The text saved before is kept." in answer["message"]
    assert_unchanged(section)


def test_the_form_shows_why_a_long_text_was_refused_next_to_the_field_with_the_text_kept(client, section, alice):
    client.force_login(alice)
    text = paragraph_of(LIMIT + 1, "b")

    response = client.post(
        reverse("agreements:section_save", args=[section.agreement_id, "2"]), {"text": text, "base_version": 1}
    )

    assert response.status_code == 400
    html = response.content.decode()
    error_at = html.index('id="id_text_error"')
    assert "The text is too long to save" in html[error_at : error_at + 500]
    textarea = html[html.index("<textarea", error_at) :]
    assert textarea.startswith('<textarea id="id_text"')
    assert 'aria-describedby="id_text_error"' in textarea[:300]
    assert escape(text) in textarea  # what was typed is still in the editor, to shorten and save again
    assert '<input type="hidden" name="base_version" value="1"' in html
    assert_unchanged(section)


def test_the_refused_form_is_not_what_the_next_reader_of_the_section_sees(client, section, alice, bob):
    client.force_login(alice)
    client.post(
        reverse("agreements:section_save", args=[section.agreement_id, "2"]),
        {"text": paragraph_of(LIMIT + 1, "b"), "base_version": 1},
    )
    client.force_login(bob)

    html = client.get(reverse("agreements:section", args=[section.agreement_id, "2"])).content.decode()

    assert "bbbb" not in html and "too long" not in html
    assert "Ensimmäinen versio" in html


# --- The version a save reports -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_save_reports_its_own_version_when_another_commits_right_after_it(client, section, alice, bob):
    """Bob's save commits after Alice's and before her answer is written: she is told her own version,
    so her next autosave, based on it, is a conflict instead of overwriting Bob's text."""

    def bob_saves_after(sender, instance, created, **kwargs):
        if created and instance.created_by == alice:
            number = instance.number
            transaction.on_commit(
                lambda: section_save(section=section, text="<p>Bobin teksti</p>", base_version=number, by=bob)
            )

    post_save.connect(bob_saves_after, sender=SectionVersion)
    try:
        client.force_login(alice)
        url = reverse("agreements:section_save", args=[section.agreement_id, "2"])
        answer = client.post(url, {"text": "<p>Alicen teksti</p>", "base_version": 1}, headers=AUTOSAVE).json()
    finally:
        post_save.disconnect(bob_saves_after, sender=SectionVersion)

    assert answer["status"] == "saved"
    assert answer["version"] == 2
    assert list(section.versions.values_list("number", "created_by__username"))[:2] == [(3, "bob"), (2, "alice")]
    next_save = client.post(url, {"text": "<p>Alicen teksti, jatkoa</p>", "base_version": 2}, headers=AUTOSAVE)
    assert next_save.status_code == 409
    section.refresh_from_db()
    assert section.text == "<p>Bobin teksti</p>"


def test_saving_an_unchanged_text_reports_the_version_it_is_based_on(client, section, alice):
    client.force_login(alice)

    answer = client.post(
        reverse("agreements:section_save", args=[section.agreement_id, "2"]),
        {"text": "<p>Ensimmäinen versio</p>", "base_version": 1},
        headers=AUTOSAVE,
    ).json()

    assert (answer["status"], answer["version"]) == ("saved", 1)
