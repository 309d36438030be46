"""Every write to agreements. Each service checks permission and precondition itself, under a row lock."""

import datetime
import math
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agreements import kinds, permissions
from agreements.models import COUNCIL_TERM, Agreement, Comment, Event, Party, Section, SectionVersion, Theme
from agreements.sanitize import sanitize_html
from regions.models import Municipality, Organisation, WellbeingCounty
from regions.selectors import county_municipalities_on, county_regional_councils_on
from users.models import User

# Autosave writes a version every few seconds, and a goal is edited with its measures and
# indicators: the timeline and the section's history show one entry per person and subject for a
# burst of edits: saves each less than this after the one before.
EDIT_BURST = datetime.timedelta(minutes=15)


class SectionConflict(Exception):
    """The section changed after the version the save was based on."""

    def __init__(self, section: Section):
        super().__init__(f"section {section.pk} is at version {section.version}")
        self.section = section


def _event(agreement: Agreement, kind: str, actor: User | None, subject: str = "") -> Event:
    """A timeline entry; an edit of a kind in ``Event.BURST_KINDS`` by the same person about the
    same subject within ``EDIT_BURST`` of the last one moves that entry to now instead."""
    subject = subject[:300]
    if kind in Event.BURST_KINDS:
        now = timezone.now()
        recent = (
            Event.objects.filter(agreement=agreement, kind=kind, actor=actor, subject=subject, at__gte=now - EDIT_BURST)
            .order_by("-at", "-pk")
            .first()
        )
        if recent is not None:
            Event.objects.filter(pk=recent.pk).update(at=now)
            recent.at = now
            return recent
    return Event.objects.create(agreement=agreement, kind=kind, actor=actor, subject=subject)


def _touch(agreement_id: int) -> None:
    Agreement.objects.filter(pk=agreement_id).update(updated_at=timezone.now())


def _official_name(organisation: Organisation, language: str) -> str:
    return (organisation.name_sv if language == "sv" else "") or organisation.name_fi


def _add_parties(agreement: Agreement, organisations: Iterable[Organisation], start: int = 0) -> list[Party]:
    parties = Party.objects.bulk_create(
        Party(
            agreement=agreement,
            organisation=organisation.as_organisation,
            official_name=_official_name(organisation, agreement.language),
            business_id=organisation.business_id,
            position=start + n,
        )
        for n, organisation in enumerate(organisations)
    )
    permissions.parties_grant(agreement=agreement, organisations=[party.organisation for party in parties])
    return parties


@transaction.atomic
def agreement_start(
    *,
    by: User,
    county: WellbeingCounty,
    title: str,
    kind: str = Agreement.Kind.STRATEGIC,
    language: str = Agreement.Language.FINNISH,
    municipalities: Iterable[Municipality] | None = None,
    include_regional_council: bool = False,
    main_theme: str = "",
    themes: Iterable[str] = (),
    valid_from: datetime.date = COUNCIL_TERM[0],
    valid_until: datetime.date = COUNCIL_TERM[1],
    on: datetime.date | None = None,
) -> Agreement:
    """Starts an agreement organised by ``county`` with its sections from the template.

    A strategic agreement has the county and every municipality in it on ``on`` (today) as parties;
    an interface agreement has the municipalities chosen among those, and a main theme.
    """
    if not permissions.can_start_agreement(by, county):
        raise PermissionDenied
    if kind not in Agreement.Kind.values:  # another kind is started by its own app's starter
        raise ValidationError({"kind": _("Choose the kind of agreement.")})
    members = list(county_municipalities_on(county, on or timezone.localdate()))
    if kind == Agreement.Kind.INTERFACE:
        chosen = {m.pk for m in municipalities or ()}
        outside = chosen - {m.pk for m in members}
        if not chosen:
            raise ValidationError({"municipalities": _("Choose at least one municipality.")})
        if outside:
            raise ValidationError({"municipalities": _("Only municipalities of the county can be parties.")})
        if main_theme not in Theme.values:
            raise ValidationError({"main_theme": _("Choose the main theme.")})
        members = [m for m in members if m.pk in chosen]
    organisations: list[Organisation] = [county, *members]
    if include_regional_council:
        organisations += list(county_regional_councils_on(county, on or timezone.localdate()))
    return agreement_create(
        by=by,
        kind=kind,
        county=county,
        title=title,
        language=language,
        organisations=organisations,
        main_theme=main_theme,
        themes=themes,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def agreement_create(
    *,
    by: User,
    kind: str,
    county: WellbeingCounty,
    title: str,
    language: str,
    organisations: Iterable[Organisation],
    main_theme: str = "",
    themes: Iterable[str] = (),
    valid_from: datetime.date = COUNCIL_TERM[0],
    valid_until: datetime.date = COUNCIL_TERM[1],
    before_grants=None,
) -> Agreement:
    """Creates an agreement of ``kind`` with ``organisations`` as its parties and its kind's sections.

    The one way an agreement is started: ``agreement_start`` for the built-in kinds and each kind's
    own starter call it inside their transaction, after checking who may start it (this does not).
    ``before_grants(agreement)`` writes what the kind's organisers rule reads (its own rows naming
    who organises it) before the permissions are granted.
    """
    themes = list(dict.fromkeys(themes))
    if any(t not in Theme.values for t in themes):
        raise ValidationError({"themes": _("Unknown theme.")})
    agreement = Agreement(
        kind=kind,
        title=title.strip(),
        language=language,
        county=county,
        main_theme=main_theme,
        themes=themes,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=by,
    )
    agreement.full_clean()
    agreement.save()
    if before_grants is not None:
        before_grants(agreement)
    _add_parties(agreement, organisations)
    permissions.organiser_grant(agreement=agreement)
    Section.objects.bulk_create(
        Section(agreement=agreement, key=s.key, title=s.title(language), kind=s.kind, position=n, text=s.text(language))
        for n, s in enumerate(kinds.get(kind).sections)
    )
    SectionVersion.objects.bulk_create(
        SectionVersion(section=section, number=1, text=section.text, based_on=0, created_by=by)
        for section in Section.objects.filter(agreement=agreement).exclude(text="")
    )
    Section.objects.filter(agreement=agreement).exclude(text="").update(
        version=1, updated_at=timezone.now(), updated_by=by
    )
    _event(agreement, Event.Kind.STARTED, by, agreement.title)
    return agreement


def _locked_agreement(agreement: Agreement, by: User, check) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not check(by, agreement):
        raise PermissionDenied
    return agreement


@transaction.atomic
def party_add(*, agreement: Agreement, organisation: Organisation, by: User) -> Party:
    agreement = _locked_agreement(agreement, by, permissions.can_manage_agreement)
    if organisation.kind == Organisation.Kind.COUNTY:
        raise ValidationError(_("The county that organises the agreement is its only county party."))
    if agreement.parties.filter(organisation=organisation.as_organisation).exists():
        raise ValidationError(_("%(name)s is already a party.") % {"name": organisation.name})
    start = (agreement.parties.aggregate(m=Max("position"))["m"] or 0) + 1
    [party] = _add_parties(agreement, [organisation], start)
    _event(agreement, Event.Kind.PARTY_ADDED, by, party.official_name)
    _touch(agreement.pk)
    return party


@transaction.atomic
def party_remove(*, party: Party, by: User) -> None:
    agreement = _locked_agreement(party.agreement, by, permissions.can_manage_agreement)
    if party.organisation_id == agreement.county_id:
        raise ValidationError(_("The county that organises the agreement cannot be removed."))
    if party.organisation_id in {organisation.pk for organisation, _role in permissions.organisers_of(agreement)}:
        raise ValidationError(_("The organisation that organises the agreement cannot be removed."))
    permissions.party_revoke(agreement=agreement, organisation=party.organisation)
    name = party.official_name
    party.delete()
    _event(agreement, Event.Kind.PARTY_REMOVED, by, name)
    _touch(agreement.pk)


@transaction.atomic
def party_update(*, party: Party, official_name: str, business_id: str, by: User) -> Party:
    _locked_agreement(party.agreement, by, permissions.can_manage_agreement)
    party.official_name, party.business_id = official_name.strip(), business_id.strip()
    party.full_clean()
    party.save(update_fields=["official_name", "business_id"])
    _event(party.agreement, Event.Kind.PARTY_CHANGED, by, party.official_name)
    _touch(party.agreement_id)
    return party


def starts_burst(previous: SectionVersion | None, *, by: User | None, at: datetime.datetime, plain: bool) -> bool:
    """Whether a version saved by ``by`` at ``at`` after ``previous`` begins a new entry in history.

    A version continues the burst of the one before when the same person saved both, less than
    EDIT_BURST apart, and both are plain saves: a restore or a merge is always an entry of its own,
    so its note is shown. A burst is a run of consecutive numbers, so its count is a subtraction.
    """
    return not (
        plain
        and previous is not None
        and by is not None
        and previous.created_by_id == by.pk
        and at - previous.created_at < EDIT_BURST
        and previous.restored_from is None
        and not previous.resolved_conflict
    )


def _check_text_size(clean: str) -> None:
    """A section's sanitised text is at most ``SECTION_TEXT_MAX_BYTES`` (UTF-8), far above any real
    agreement's: every save keeps a full copy, and every reader of the section loads it."""
    size, limit = len(clean.encode()), settings.SECTION_TEXT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "text": _(
                    "The text is too long to save: %(size)s MB, when a section holds at most %(limit)s MB. "
                    "Shorten it or move long material, such as tables of figures, to an annex. "
                    "The text saved before is kept."
                )
                # Rounded up, so that a text just over the limit never reads as the limit itself.
                % {
                    "size": number_format(math.ceil(size / 100_000) / 10, 1),
                    "limit": number_format(limit / 1_000_000, 1),
                }
            }
        )


def _section_write(
    *,
    section: Section,
    text: str,
    base_version: int,
    by: User,
    restored_from: int | None = None,
    resolves_conflict: bool = False,
) -> SectionVersion | None:
    # The agreement first, as every other service: a party's removal or a status change is ordered
    # against this save. Then the section, whose version is compared.
    agreement = _locked_agreement(section.agreement, by, permissions.can_edit_agreement)
    section = Section.objects.select_for_update().get(pk=section.pk, agreement=agreement)
    section.agreement = agreement
    if section.version != base_version:
        raise SectionConflict(section)
    clean = sanitize_html(text)
    _check_text_size(clean)
    if clean == section.text and restored_from is None and not resolves_conflict:
        return None
    now = timezone.now()
    previous = (
        SectionVersion.objects.filter(section=section, number=section.version)
        .only("created_by", "created_at", "restored_from", "resolved_conflict")
        .first()
    )
    version = SectionVersion.objects.create(
        section=section,
        number=section.version + 1,
        text=clean,
        based_on=base_version,
        restored_from=restored_from,
        resolved_conflict=resolves_conflict,
        starts_burst=starts_burst(previous, by=by, at=now, plain=restored_from is None and not resolves_conflict),
        created_by=by,
    )
    section.text, section.version, section.updated_at, section.updated_by = clean, version.number, now, by
    section.save(update_fields=["text", "version", "updated_at", "updated_by"])
    _touch(section.agreement_id)
    subject = f"{section.key} {section.title}"
    if restored_from is not None:
        _event(section.agreement, Event.Kind.SECTION_RESTORED, by, subject)
    elif resolves_conflict:
        _event(section.agreement, Event.Kind.CONFLICT_RESOLVED, by, subject)
    else:
        _event(section.agreement, Event.Kind.SECTION_SAVED, by, subject)
    return version


@transaction.atomic
def section_save(
    *, section: Section, text: str, base_version: int, by: User, resolves_conflict: bool = False
) -> SectionVersion | None:
    """Saves ``text`` as the section's next version if nobody saved since ``base_version``.

    Raises SectionConflict when the section has moved on, ValidationError when the sanitised text
    is larger than ``SECTION_TEXT_MAX_BYTES``; returns the version written, or None when nothing
    changed (the section is still at ``base_version``). The text is sanitised here, whatever the
    client sent.
    """
    return _section_write(
        section=section, text=text, base_version=base_version, by=by, resolves_conflict=resolves_conflict
    )


@transaction.atomic
def section_restore(*, section: Section, number: int, base_version: int, by: User) -> SectionVersion:
    """Makes an old version's text the newest version; history is never rewritten."""
    old = SectionVersion.objects.get(section=section, number=number)
    version = _section_write(section=section, text=old.text, base_version=base_version, by=by, restored_from=number)
    assert version is not None
    return version


def _party_for(user: User, agreement: Agreement, party: Party | None) -> Party | None:
    mine = permissions.party_ids_of(user, agreement)
    if party is not None:
        if party.pk not in mine:
            raise ValidationError({"party": _("You can comment only on behalf of your own organisation.")})
        return party
    return agreement.parties.filter(pk__in=mine).first()


@transaction.atomic
def comment_add(
    *, section: Section, text: str, by: User, party: Party | None = None, parent: Comment | None = None
) -> Comment:
    agreement = _locked_agreement(section.agreement, by, permissions.can_comment_agreement)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    if parent is not None and (parent.section_id != section.pk or parent.parent_id is not None):
        raise ValidationError({"parent": _("Reply to a comment of this section.")})
    comment = Comment.objects.create(
        section=section, parent=parent, author=by, party=_party_for(by, agreement, party), text=text
    )
    _event(agreement, Event.Kind.COMMENTED, by, f"{section.key} {section.title}")
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, by: User, resolved: bool = True) -> Comment:
    agreement = _locked_agreement(comment.section.agreement, by, permissions.can_comment_agreement)
    if comment.parent_id is not None:
        raise ValidationError(_("Only a whole discussion is resolved."))
    comment.resolved_at, comment.resolved_by = (timezone.now(), by) if resolved else (None, None)
    comment.save(update_fields=["resolved_at", "resolved_by"])
    kind = Event.Kind.COMMENT_RESOLVED if resolved else Event.Kind.COMMENT_REOPENED
    _event(agreement, kind, by, f"{comment.section.key} {comment.section.title}")
    return comment


TERMS = Agreement.SECTION_5_TERMS


@transaction.atomic
def agreement_terms_update(*, agreement: Agreement, by: User, **values) -> Agreement:
    """Changes section 5's terms (entry-into-force rule, validity, notice period, review date): the
    organiser's coordinators, while the text is open. A quorum is at least one and at most the number
    of parties; the rule "every party" needs none."""
    unknown = set(values) - set(TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    agreement = _locked_agreement(agreement, by, permissions.can_manage_agreement)
    for name, value in values.items():
        setattr(agreement, name, value)
    errors = {}
    if agreement.entry_rule == Agreement.EntryRule.ALL:
        agreement.entry_quorum = None
    else:
        parties = agreement.parties.count()
        if not agreement.entry_quorum:
            errors["entry_quorum"] = _("Say how many parties must approve.")
        elif agreement.entry_quorum > parties:
            errors["entry_quorum"] = _("The agreement has %(count)s parties; at most that many can approve.") % {
                "count": parties
            }
    if agreement.valid_from and agreement.valid_until and agreement.valid_until < agreement.valid_from:
        errors["valid_until"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)
    agreement.full_clean()
    agreement.save(update_fields=[*TERMS, "updated_at"])
    _event(agreement, Event.Kind.TERMS_CHANGED, by, agreement.get_entry_rule_display())
    return agreement
