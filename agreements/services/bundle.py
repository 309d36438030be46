"""A portable JSON bundle of one agreement: everything the portal knows about it, every edition.

Organisations are referred to by kind and code (or name for bodies outside the area data) and
users by username, so a bundle restores into any database that has the area data. Parties,
comments and goals get bundle-local references ("ref") instead of database ids, editions their
edition number. Version 2 holds the agreement's whole series of editions; version 1 (one edition,
before the workflow) is still read. The format is described in docs/architecture.md.
"""

import base64
import binascii
import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.dateparse import parse_datetime

from agreements import canonical, kinds, permissions
from agreements.models import (
    Agreement,
    Annex,
    Approval,
    ChangeProposal,
    Comment,
    Decision,
    Event,
    Forum,
    ForumSeat,
    Goal,
    Indicator,
    Measure,
    Party,
    Section,
    SectionVersion,
    Signatory,
    Signature,
)
from agreements.sanitize import sanitize_html
from agreements.services.decisions import DECISION_FIELDS as RECORDED_DECISION_FIELDS
from agreements.services.structured import INDICATOR_FIELDS, validate_pdf
from regions.models import Organisation
from users.models import User

FORMAT, VERSION = "yhdyspinta-agreement", 2
READS = (1, 2)

# Section 5 of the text: entry into force, notice and review. Written with the edition's content.
TERMS_FIELDS = ("entry_rule", "entry_quorum", "notice_months", "review_due")
# The workflow's own fields. Import writes them LAST, in one queryset update per edition after all
# of its content: the database refuses changes to the content of a frozen agreement.
WORKFLOW_FIELDS = (
    "status",
    "consultation_deadline",
    "submitted_at",
    "submission",
    "frozen_at",
    "frozen_by",
    "text_sha256",
    "frozen_open_threads",
    "signed_at",
    "in_force_from",
    "ended_on",
    "termination_notice_by",
    "termination_reason",
)
DECISION_FIELDS = (
    *RECORDED_DECISION_FIELDS,  # what a party's official records; the rest the services write
    "appeal_period_ends",
    "legal_force",
    "legal_force_confirmed_by",
    "legal_force_confirmed_at",
    "appeal_court",
    "appeal_filed_on",
    "appeal_outcome",
    "appeal_decided_on",
    "entered_for_party",
    "recorded_by",
    "recorded_at",
)
PROPOSAL_FIELDS = ("description", "status", "resolved_by", "resolved_at", "resolution")
SIGNATORY_FIELDS = ("name", "title", "authority", "user", "position")
APPROVAL_FIELDS = ("step", "submission", "outcome", "comments", "decided_by", "decided_at")
SIGNATURE_FIELDS = ("signed_at", "place", "text_sha256", "user", "second_factor", "outside", "signed_page_sha256")


class BundleError(Exception):
    """The bundle cannot be imported; the message says where and why."""


def _dt(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _user(user: User | None) -> str | None:
    return user.username if user else None


def organisation_key(organisation: Organisation) -> dict[str, str]:
    kind = organisation.kind
    for attr in ("municipality", "wellbeingcounty", "regionalcouncil", "employmentarea"):
        child = getattr(organisation, attr, None) if hasattr(organisation, attr) else None
        if child is not None:
            return {"kind": kind, "code": child.code}
    if kind == Organisation.Kind.KELA:
        return {"kind": kind}
    return {"kind": kind, "name_fi": organisation.name_fi}


def agreement_series(agreement: Agreement) -> list[Agreement]:
    """Every edition of ``agreement``'s series, the first edition first."""
    first = agreement.series_id or agreement.pk
    return list(
        Agreement.objects.filter(Q(pk=first) | Q(series_id=first))
        .select_related("county", "created_by", "frozen_by", "previous_edition")
        .order_by("edition")
    )


def _values(obj: models.Model, names: tuple[str, ...], who, ref: dict[int, int]) -> dict[str, Any]:
    """The fields ``names`` of ``obj`` as JSON: users by username, parties by ref, dates in ISO 8601."""
    data: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.is_relation:
            data[name] = (
                ref.get(getattr(obj, field.attname)) if field.related_model is Party else who(getattr(obj, name))
            )
        else:
            value = getattr(obj, name)
            data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def _file(file: FieldFile) -> dict[str, Any] | None:
    """A stored file as the bundle carries it (as annexes are): its size, SHA-256 and content."""
    if not file:
        return None
    with file.open("rb") as f:
        content = f.read()
    return {
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_base64": base64.b64encode(content).decode(),
    }


def agreement_export(agreement: Agreement, *, public: bool = False) -> dict[str, Any]:
    """The bundle of ``agreement`` with its whole series of editions, in edition order.

    ``public``: what the agreement's own document shows, for the data attached to its PDFs (the
    sealed one may be downloaded by anyone, 621/1999; a PDF for reading goes to councils' agendas):
    ``agreement`` alone, without portal users (every user is null and ``users`` is empty), section
    histories, comments, the timeline, approval comments, second factors and signed pages' scans. It
    carries ``"public": true``, and ``agreement_import`` refuses it: it is for reading, not restoring.
    """
    usernames: set[str] = set()

    def who(user: User | None) -> str | None:
        if public:
            return None
        if user:
            usernames.add(user.username)
        return _user(user)

    # The edition's own document carries itself: what other editions are and become is theirs.
    series = [e for e in agreement_series(agreement) if e.pk == agreement.pk] if public else agreement_series(agreement)
    editions = [_edition_export(edition, who, public=public) for edition in series]
    users = [
        {"username": u.username, "first_name": u.first_name, "last_name": u.last_name, "email": u.email}
        for u in User.objects.filter(username__in=usernames).order_by("username")
    ]
    bundle = {"format": FORMAT, "version": VERSION, "edition": agreement.edition, "editions": editions, "users": users}
    if public:
        bundle["public"] = True
    return bundle


def _edition_export(agreement: Agreement, who, *, public: bool = False) -> dict[str, Any]:
    parties = list(
        agreement.parties.select_related(
            "organisation__municipality",
            "organisation__wellbeingcounty",
            "organisation__regionalcouncil",
            "organisation__employmentarea",
        )
    )
    ref = {p.pk: n for n, p in enumerate(parties, 1)}

    sections = []
    comment_ref: dict[int, int] = {}
    for section in agreement.sections.select_related("updated_by").order_by("position"):
        versions = [
            {
                "number": v.number,
                "text": v.text,
                "based_on": v.based_on,
                "restored_from": v.restored_from,
                "resolved_conflict": v.resolved_conflict,
                "starts_burst": v.starts_burst,
                "created_by": who(v.created_by),
                "created_at": _dt(v.created_at),
            }
            for v in (() if public else section.versions.select_related("created_by").order_by("number"))
        ]
        comments = []
        for c in (
            () if public else section.comments.select_related("author", "resolved_by").order_by("created_at", "pk")
        ):
            comment_ref[c.pk] = len(comment_ref) + 1
            comments.append(
                {
                    "ref": comment_ref[c.pk],
                    "parent": comment_ref.get(c.parent_id),
                    "author": who(c.author),
                    "party": ref.get(c.party_id),
                    "text": c.text,
                    "created_at": _dt(c.created_at),
                    "resolved_at": _dt(c.resolved_at),
                    "resolved_by": who(c.resolved_by),
                }
            )
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "kind": section.kind,
                "position": section.position,
                "text": section.text,
                "version": section.version,
                "updated_at": _dt(section.updated_at),
                "updated_by": who(section.updated_by),
                "versions": versions,
                "comments": comments,
            }
        )
    goals = [
        {
            "title": g.title,
            "theme": g.theme,
            "description": g.description,
            "position": g.position,
            "responsible_parties": sorted(ref[p.pk] for p in g.responsible_parties.all()),
            "measures": [
                {
                    "description": m.description,
                    "position": m.position,
                    "lead_party": ref.get(m.lead_party_id),
                    "co_parties": sorted(ref[p.pk] for p in m.co_parties.all()),
                    "schedule": m.schedule,
                }
                for m in g.measures.all()
            ],
            "indicators": [
                {
                    "name": i.name,
                    "unit": i.unit,
                    "position": i.position,
                    "baseline_value": str(i.baseline_value) if i.baseline_value is not None else None,
                    "baseline_year": i.baseline_year,
                    "target_value": str(i.target_value) if i.target_value is not None else None,
                    "target_year": i.target_year,
                    "data_source": i.data_source,
                    "sotkanet_id": i.sotkanet_id,
                    "frequency": i.frequency,
                }
                for i in g.indicators.all()
            ],
        }
        for g in agreement.goals.prefetch_related("responsible_parties", "measures__co_parties", "indicators")
    ]
    forums = [
        {
            "name": f.name,
            "level": f.level,
            "chair": ref.get(f.chair_id),
            "meeting_frequency": f.meeting_frequency,
            "position": f.position,
            "seats": sorted(
                ({"party": ref[s.party_id], "seats": s.seats} for s in f.seats.all()), key=lambda s: s["party"]
            ),
        }
        for f in agreement.forums.prefetch_related("seats")
    ]
    annexes = []
    for a in agreement.annexes.select_related("uploaded_by"):
        with a.file.open("rb") as f:
            content = f.read()
        annexes.append(
            {
                "title": a.title,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_by": who(a.uploaded_by),
                "uploaded_at": _dt(a.uploaded_at),
                "content_base64": base64.b64encode(content).decode(),
            }
        )
    events = [
        {"kind": e.kind, "actor": who(e.actor), "at": _dt(e.at), "subject": e.subject}
        for e in (() if public else agreement.events.select_related("actor").order_by("at", "pk"))
    ]
    # In the order they were recorded: of a party's decisions on one day, the later one counts.
    decisions = []
    for d in (
        Decision.objects.filter(party__agreement=agreement)
        .select_related(
            "legal_force_confirmed_by", "recorded_by", "change_proposal__resolved_by", "change_proposal__new_edition"
        )
        .order_by("pk")
    ):
        proposal = getattr(d, "change_proposal", None)
        decisions.append(
            {
                "party": ref[d.party_id],
                **_values(d, DECISION_FIELDS, who, ref),
                "minutes_file": _file(d.minutes_file),
                "change_proposal": None
                if proposal is None
                else {
                    **_values(proposal, PROPOSAL_FIELDS, who, ref),
                    "new_edition": proposal.new_edition.edition if proposal.new_edition else None,
                },
            }
        )
    signatories = []
    for s in (
        Signatory.objects.filter(party__agreement=agreement).select_related("user", "signature__user").order_by("pk")
    ):
        signature = getattr(s, "signature", None)
        signatories.append(
            {
                "party": ref[s.party_id],
                **_values(s, SIGNATORY_FIELDS, who, ref),
                "signature": None
                if signature is None
                else {
                    **_values(signature, SIGNATURE_FIELDS, who, ref),
                    "signed_page": None if public else _file(signature.signed_page),
                    **({"second_factor": ""} if public else {}),
                },
            }
        )
    # The approvals before freezing, oldest first; a return's discussion by its comment's ref.
    approvals = [
        {
            **_values(a, APPROVAL_FIELDS, who, ref),
            "party": ref.get(a.party_id),
            "thread": comment_ref.get(a.thread_id),
            **({"comments": ""} if public else {}),
        }
        for a in agreement.approvals.select_related("decided_by").order_by("decided_at", "pk")
    ]
    kind = kinds.of(agreement)
    # The kind's structured terms, written by the kind (None for a kind without them).
    terms = kind.bundle_export(agreement, lambda party: ref[party.pk]) if kind.bundle_export else None
    previous = agreement.previous_edition
    return {
        "agreement": {
            "kind": agreement.kind,
            "title": agreement.title,
            "language": agreement.language,
            "county": agreement.county.code,
            "main_theme": agreement.main_theme,
            "themes": agreement.themes,
            "valid_from": agreement.valid_from.isoformat(),
            "valid_until": agreement.valid_until.isoformat(),
            "edition": agreement.edition,
            "previous_edition": previous.edition if previous else None,
            **_values(agreement, TERMS_FIELDS, who, ref),
            **_values(agreement, WORKFLOW_FIELDS, who, ref),
            "created_by": who(agreement.created_by),
            "created_at": _dt(agreement.created_at),
            "updated_at": _dt(agreement.updated_at),
        },
        "parties": [
            {
                "ref": ref[p.pk],
                "organisation": organisation_key(p.organisation),
                "official_name": p.official_name,
                "business_id": p.business_id,
                "position": p.position,
            }
            for p in parties
        ],
        "sections": sections,
        "goals": goals,
        "forums": forums,
        "annexes": annexes,
        "events": events,
        "decisions": decisions,
        "signatories": signatories,
        "approvals": approvals,
        "terms": terms,
    }


def find_organisation(key: dict[str, str], where: str) -> Organisation:
    kind = key.get("kind")
    lookups = {
        Organisation.Kind.MUNICIPALITY: "municipality__code",
        Organisation.Kind.COUNTY: "wellbeingcounty__code",
        Organisation.Kind.REGIONAL_COUNCIL: "regionalcouncil__code",
        Organisation.Kind.EMPLOYMENT_AUTHORITY: "employmentarea__code",
    }
    if kind in lookups:
        found = Organisation.objects.filter(**{lookups[kind]: key.get("code")}).first()
    elif kind == Organisation.Kind.KELA:
        found = Organisation.objects.filter(kind=kind).first()
    else:
        found, _created = Organisation.objects.get_or_create(kind=Organisation.Kind.OTHER, name_fi=key.get("name_fi"))
    if found is None:
        raise BundleError(f"{where}: organisation {key} is not in this database; load the area data first")
    return found


def save_valid(instance, where: str, exclude: tuple[str, ...] = ()):
    """Saves an object only after the model's own validation (choices, validators, constraints).

    Times the bundle gives for auto_now(_add) fields, which the insert replaces, are put back.
    """
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise BundleError(f"{where}: {'; '.join(error.messages)}") from None
    given = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    instance.save()
    given = {name: value for name, value in given.items() if value is not None}
    if given:
        type(instance).objects.filter(pk=instance.pk).update(**given)
        for name, value in given.items():
            setattr(instance, name, value)
    return instance


def _stamp(model, objects: list, **fields) -> None:
    """Puts back the original times that auto_now(_add) replaced on insert."""
    for obj, values in zip(objects, fields.pop("values"), strict=True):
        for name, value in values.items():
            setattr(obj, name, parse_datetime(value) if isinstance(value, str) else value)
    if objects:
        model.objects.bulk_update(objects, list(fields["names"]))


class _Reader:
    """What an import has read so far: the users, the current edition's parties, the files it wrote
    (removed again if the import fails) and the place in the bundle that is being read."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.parties: dict[int, Party] = {}
        self.stored: list[FieldFile] = []
        self.at = "the bundle"

    def user(self, name: str | None) -> User | None:
        if name is None:
            return None
        if name not in self.users:
            raise BundleError(f"{self.at}: user {name!r} is used but not listed under users")
        return self.users[name]

    def party(self, ref: int | None) -> Party | None:
        if ref is None:
            return None
        if ref not in self.parties:
            raise BundleError(f"{self.at}: party ref {ref} is used but not listed under parties")
        return self.parties[ref]

    def fields(self, model: type[models.Model], data: dict, names: tuple[str, ...]) -> dict[str, Any]:
        """The fields ``names`` of ``model`` read from ``data`` (the inverse of ``_values``)."""
        values: dict[str, Any] = {}
        for name in names:
            if name not in data:
                raise BundleError(f"{self.at}: {name} is missing")
            value, field = data[name], model._meta.get_field(name)
            if field.is_relation:
                values[name] = self.party(value) if field.related_model is Party else self.user(value)
            elif value is not None and isinstance(field, models.DateField):
                values[name] = self.date(value, name, with_time=isinstance(field, models.DateTimeField))
            else:
                values[name] = value
        return values

    def date(self, value: Any, name: str, with_time: bool = False) -> datetime.date:
        try:
            parsed = parse_datetime(value) if with_time else datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is None:
            raise BundleError(f"{self.at}: {name} {value!r} is not a date{' and time' if with_time else ''}")
        return parsed

    def store(self, file: FieldFile, data: dict) -> int:
        """Stores a file's content, checked against its SHA-256 and as a PDF (as an upload is);
        returns its size."""
        try:
            content = base64.b64decode(data["content_base64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise BundleError(f"{self.at}: the content is not base64") from None
        if hashlib.sha256(content).hexdigest() != data["sha256"]:
            raise BundleError(f"{self.at}: the content does not match its SHA-256")
        try:
            validate_pdf(ContentFile(content, name="file.pdf"))
        except ValidationError as error:
            raise BundleError(f"{self.at}: {'; '.join(error.messages)}") from None
        file.save(f"{data['sha256'][:16]}.pdf", ContentFile(content), save=False)
        self.stored.append(file)
        return len(content)


@transaction.atomic
def agreement_import(bundle: dict[str, Any]) -> Agreement:
    """Restores a bundle as new agreements, every edition of it, all or nothing; returns the edition
    that was exported. Unknown users are created inactive."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT or bundle.get("version") not in READS:
        raise BundleError(f"not a {FORMAT} bundle of version {' or '.join(map(str, READS))}")
    if bundle.get("public"):
        raise BundleError(
            "a public bundle (export_agreement --public) leaves out what a restore needs; export it in full"
        )
    reader = _Reader()
    try:
        if bundle["version"] == 1:
            bundle = _from_version_1(bundle)
        return _import(bundle, reader)
    except Exception as error:
        # Files are written before the transaction commits: a failed import removes them.
        for file in reader.stored:
            file.delete(save=False)
        if isinstance(error, ValidationError):
            raise BundleError(f"{reader.at}: {'; '.join(error.messages)}") from error
        if isinstance(error, KeyError | TypeError | ValueError | AttributeError):
            raise BundleError(f"{reader.at}: the bundle is incomplete or malformed: {error!r}") from error
        raise


def _from_version_1(bundle: dict[str, Any]) -> dict[str, Any]:
    """A version 1 bundle (one edition, before the workflow) in version 2's shape."""
    defaults = {name: Agreement._meta.get_field(name).get_default() for name in (*TERMS_FIELDS, *WORKFLOW_FIELDS)}
    # Version 1 knew one status, draft, and wrote it.
    edition = {
        "agreement": {**defaults, **bundle["agreement"], "edition": 1, "previous_edition": None},
        **{key: bundle[key] for key in ("parties", "sections", "goals", "forums", "annexes", "events")},
        "decisions": [],
        "signatories": [],
        "approvals": [],
        "terms": None,
    }
    return {"format": FORMAT, "version": VERSION, "edition": 1, "editions": [edition], "users": bundle["users"]}


def _import(bundle: dict[str, Any], reader: _Reader) -> Agreement:
    for n, data in enumerate(bundle["users"]):
        reader.at = f"users[{n}]"
        user, created = User.objects.get_or_create(
            username=data["username"],
            defaults={
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "email": data["email"],
                "is_active": False,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        reader.users[user.username] = user

    reader.at = "editions"
    if not isinstance(bundle["editions"], list) or not bundle["editions"]:
        raise BundleError("editions: the bundle holds no edition")
    editions: dict[int, Agreement] = {}
    workflow: dict[int, dict[str, Any]] = {}
    proposals: list[tuple[str, ChangeProposal, int]] = []
    for n, data in enumerate(bundle["editions"]):
        agreement, values = _import_edition(data, f"editions[{n}]", reader, editions, proposals)
        editions[agreement.edition] = agreement
        workflow[agreement.pk] = values

    # A change proposal names the later edition it led to: known once every edition exists.
    for where, proposal, number in proposals:
        reader.at = where
        if number not in editions or number <= proposal.decision.party.agreement.edition:
            raise BundleError(f"{where}: new_edition {number} is not a later edition in the bundle")
        proposal.new_edition = editions[number]
        save_valid(proposal, where)

    for agreement in editions.values():
        Event.objects.create(agreement=agreement, kind=Event.Kind.IMPORTED, subject=agreement.title)
    # A frozen edition's hash must be that of the text imported: a signature names it.
    for n, agreement in enumerate(editions.values()):
        recorded = workflow[agreement.pk].get("text_sha256")
        if recorded and recorded != canonical.text_sha256(agreement):
            raise BundleError(
                f"editions[{n}].agreement: text_sha256 {recorded} is not the SHA-256 of the edition's text; "
                "the bundle was changed after it was exported"
            )
    # Last: the status and the frozen marks, after every edition's content (see WORKFLOW_FIELDS).
    # The one status write outside the workflow's transition: a restore of states already reached.
    for agreement in editions.values():
        Agreement.objects.filter(pk=agreement.pk).update(**workflow[agreement.pk])
    reader.at = "edition"
    if bundle["edition"] not in editions:
        raise BundleError(f"edition: edition {bundle['edition']!r} is not in the bundle")
    exported = editions[bundle["edition"]]
    exported.refresh_from_db()
    return exported


def _import_edition(
    bundle: dict[str, Any],
    where: str,
    reader: _Reader,
    editions: dict[int, Agreement],
    proposals: list[tuple[str, ChangeProposal, int]],
) -> tuple[Agreement, dict[str, Any]]:
    """Creates one edition as a draft with all its content; returns it with the workflow values
    that the caller writes last."""
    reader.at = f"{where}.agreement"
    reader.parties = {}
    # Written since the approval before freezing came (still version 2): absent from earlier bundles.
    meta = {"submitted_at": None, "submission": 0, **bundle["agreement"]}
    county = find_organisation({"kind": "county", "code": meta["county"]}, reader.at).wellbeingcounty
    previous = meta["previous_edition"]
    if previous is not None and previous not in editions:
        raise BundleError(f"{reader.at}: previous_edition {previous!r} is not an earlier edition in the bundle")
    first = next(iter(editions.values()), None)
    workflow_fields = tuple(name for name in WORKFLOW_FIELDS if name != "termination_notice_by")
    workflow = reader.fields(Agreement, meta, workflow_fields)
    agreement = Agreement(
        kind=meta["kind"],
        title=meta["title"],
        language=meta["language"],
        county=county,
        main_theme=meta["main_theme"],
        themes=meta["themes"],
        valid_from=reader.date(meta["valid_from"], "valid_from"),
        valid_until=reader.date(meta["valid_until"], "valid_until"),
        edition=meta["edition"],
        series=first,
        previous_edition=editions.get(previous),
        **reader.fields(Agreement, meta, TERMS_FIELDS),
        **workflow,
        created_by=reader.user(meta["created_by"]),
    )
    try:
        agreement.full_clean(exclude=["termination_notice_by"])
    except ValidationError as error:
        raise BundleError(f"{reader.at}: {'; '.join(error.messages)}") from None
    # Validated with its real status; written as a draft until its content is in.
    for name in workflow:
        setattr(agreement, name, Agreement._meta.get_field(name).get_default())
    agreement.save()
    times = {name: reader.date(meta[name], name, with_time=True) for name in ("created_at", "updated_at")}

    for n, data in enumerate(bundle["parties"]):
        reader.at = f"{where}.parties[{n}]"
        organisation = find_organisation(data["organisation"], reader.at)
        party = save_valid(
            Party(
                agreement=agreement,
                organisation=organisation,
                official_name=data["official_name"],
                business_id=data["business_id"],
                position=data["position"],
            ),
            reader.at,
        )
        reader.parties[data["ref"]] = party
        permissions.party_grant(agreement=agreement, organisation=organisation)
    # The kind's structured terms, written by the kind before the organisers are granted (its rule
    # for them may read the terms: a kind's group). Optional: none for a kind without them.
    reader.at = f"{where}.terms"
    kind, terms = kinds.get(agreement.kind), bundle.get("terms")
    if kind.bundle_import is not None:
        kind.bundle_import(agreement, terms, dict(reader.parties), reader.at)
    elif terms is not None:
        raise BundleError(f"{reader.at}: an agreement of kind {agreement.kind!r} has no structured terms")
    permissions.organiser_grant(agreement=agreement)
    reader.at = f"{where}.agreement"
    workflow["termination_notice_by"] = reader.party(meta["termination_notice_by"])

    edition_comments: dict[int, Comment] = {}  # every section's, for the approvals' discussions
    for n, data in enumerate(bundle["sections"]):
        reader.at = f"{where}.sections[{n}]"
        section = save_valid(
            Section(
                agreement=agreement,
                key=data["key"],
                title=data["title"],
                kind=data["kind"],
                position=data["position"],
                text=sanitize_html(data["text"]),
                version=data["version"],
                updated_at=parse_datetime(data["updated_at"]) if data["updated_at"] else None,
                updated_by=reader.user(data["updated_by"]),
            ),
            reader.at,
        )
        versions = []
        for m, v in enumerate(data["versions"]):
            reader.at = f"{where}.sections[{n}].versions[{m}]"
            versions.append(
                save_valid(
                    SectionVersion(
                        section=section,
                        number=v["number"],
                        text=sanitize_html(v["text"]),
                        based_on=v["based_on"],
                        restored_from=v["restored_from"],
                        resolved_conflict=v["resolved_conflict"],
                        # Bundles written before bursts were kept show each version as an entry.
                        starts_burst=v.get("starts_burst", True),
                        created_by=reader.user(v["created_by"]),
                    ),
                    reader.at,
                )
            )
        _stamp(
            SectionVersion,
            versions,
            names=["created_at"],
            values=[{"created_at": v["created_at"]} for v in data["versions"]],
        )
        comments: dict[int, Comment] = {}  # the section's, for the replies'
        for m, c in enumerate(data["comments"]):
            reader.at = f"{where}.sections[{n}].comments[{m}]"
            comment = save_valid(
                Comment(
                    section=section,
                    parent=comments.get(c["parent"]) if c["parent"] else None,
                    author=reader.user(c["author"]),
                    party=reader.party(c["party"]),
                    text=c["text"],
                    resolved_at=parse_datetime(c["resolved_at"]) if c["resolved_at"] else None,
                    resolved_by=reader.user(c["resolved_by"]),
                ),
                reader.at,
            )
            comments[c["ref"]] = edition_comments[c["ref"]] = comment
            _stamp(Comment, [comment], names=["created_at"], values=[{"created_at": c["created_at"]}])
    for n, data in enumerate(bundle["goals"]):
        reader.at = f"{where}.goals[{n}]"
        goal = save_valid(
            Goal(
                agreement=agreement,
                title=data["title"],
                theme=data["theme"],
                description=data["description"],
                position=data["position"],
            ),
            reader.at,
        )
        goal.responsible_parties.set([reader.party(r) for r in data["responsible_parties"]])
        for m, item in enumerate(data["measures"]):
            reader.at = f"{where}.goals[{n}].measures[{m}]"
            measure = save_valid(
                Measure(
                    goal=goal,
                    description=item["description"],
                    position=item["position"],
                    lead_party=reader.party(item["lead_party"]),
                    schedule=item["schedule"],
                ),
                reader.at,
            )
            measure.co_parties.set([reader.party(r) for r in item["co_parties"]])
        for m, item in enumerate(data["indicators"]):
            reader.at = f"{where}.goals[{n}].indicators[{m}]"
            values = {name: item[name] for name in (*INDICATOR_FIELDS, "position")}
            save_valid(Indicator(goal=goal, **values), reader.at)
    for n, data in enumerate(bundle["forums"]):
        reader.at = f"{where}.forums[{n}]"
        forum = save_valid(
            Forum(
                agreement=agreement,
                name=data["name"],
                level=data["level"],
                chair=reader.party(data["chair"]),
                meeting_frequency=data["meeting_frequency"],
                position=data["position"],
            ),
            reader.at,
        )
        for m, seat in enumerate(data["seats"]):
            reader.at = f"{where}.forums[{n}].seats[{m}]"
            save_valid(ForumSeat(forum=forum, party=reader.party(seat["party"]), seats=seat["seats"]), reader.at)
    for n, data in enumerate(bundle["annexes"]):
        reader.at = f"{where}.annexes[{n}]"
        annex = Annex(
            agreement=agreement,
            title=data["title"],
            size=0,
            sha256=data["sha256"],
            uploaded_by=reader.user(data["uploaded_by"]),
            uploaded_at=reader.date(data["uploaded_at"], "uploaded_at", with_time=True),
        )
        annex.size = reader.store(annex.file, data)
        save_valid(annex, reader.at)
    for n, data in enumerate(bundle["decisions"]):
        reader.at = f"{where}.decisions[{n}]"
        decision = Decision(party=reader.party(data["party"]), **reader.fields(Decision, data, DECISION_FIELDS))
        if data["minutes_file"] is not None:
            reader.at = f"{where}.decisions[{n}].minutes_file"
            reader.store(decision.minutes_file, data["minutes_file"])
        save_valid(decision, f"{where}.decisions[{n}]")
        if data["change_proposal"] is not None:
            reader.at = f"{where}.decisions[{n}].change_proposal"
            proposal = save_valid(
                ChangeProposal(
                    decision=decision, **reader.fields(ChangeProposal, data["change_proposal"], PROPOSAL_FIELDS)
                ),
                reader.at,
            )
            if data["change_proposal"]["new_edition"] is not None:
                proposals.append((reader.at, proposal, data["change_proposal"]["new_edition"]))
    for n, data in enumerate(bundle["signatories"]):
        reader.at = f"{where}.signatories[{n}]"
        signatory = save_valid(
            Signatory(party=reader.party(data["party"]), **reader.fields(Signatory, data, SIGNATORY_FIELDS)), reader.at
        )
        if data["signature"] is not None:
            reader.at = f"{where}.signatories[{n}].signature"
            signature = Signature(signatory=signatory, **reader.fields(Signature, data["signature"], SIGNATURE_FIELDS))
            page = data["signature"]["signed_page"]
            if page is not None:
                if page["sha256"] != signature.signed_page_sha256:
                    raise BundleError(f"{reader.at}: the signed page is not the one signed_page_sha256 names")
                reader.store(signature.signed_page, page)
            save_valid(signature, reader.at)
    for n, data in enumerate(bundle.get("approvals", [])):
        reader.at = f"{where}.approvals[{n}]"
        thread = data["thread"]
        if thread is not None and thread not in edition_comments:
            raise BundleError(f"{reader.at}: thread {thread!r} is not a comment of this edition")
        save_valid(
            Approval(
                agreement=agreement,
                party=reader.party(data["party"]),
                thread=edition_comments.get(thread),
                **reader.fields(Approval, data, APPROVAL_FIELDS),
            ),
            reader.at,
        )
    events = []
    for n, e in enumerate(bundle["events"]):
        reader.at = f"{where}.events[{n}]"
        events.append(
            save_valid(
                Event(agreement=agreement, kind=e["kind"], actor=reader.user(e["actor"]), subject=e["subject"]),
                reader.at,
            )
        )
    _stamp(Event, events, names=["at"], values=[{"at": e["at"]} for e in bundle["events"]])
    return agreement, {**workflow, **times}
