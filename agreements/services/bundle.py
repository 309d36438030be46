"""A portable JSON bundle of one agreement: everything the portal knows about it.

Organisations are referred to by kind and code (or name for bodies outside the area data) and
users by username, so a bundle restores into any database that has the area data. Parties,
comments and goals get bundle-local references ("ref") instead of database ids.
"""

import base64
import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.dateparse import parse_datetime

from agreements import permissions
from agreements.models import (
    Agreement,
    Annex,
    Comment,
    Event,
    Forum,
    ForumSeat,
    Goal,
    Indicator,
    Measure,
    Party,
    Section,
    SectionVersion,
)
from agreements.sanitize import sanitize_html
from agreements.services.structured import INDICATOR_FIELDS, validate_pdf
from regions.models import Organisation
from users.models import User

FORMAT, VERSION = "yhdyspinta-agreement", 1


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


def agreement_export(agreement: Agreement) -> dict[str, Any]:
    parties = list(
        agreement.parties.select_related(
            "organisation__municipality",
            "organisation__wellbeingcounty",
            "organisation__regionalcouncil",
            "organisation__employmentarea",
        )
    )
    ref = {p.pk: n for n, p in enumerate(parties, 1)}
    usernames: set[str] = set()

    def who(user):
        if user:
            usernames.add(user.username)
        return _user(user)

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
            for v in section.versions.select_related("created_by").order_by("number")
        ]
        comments = []
        for c in section.comments.select_related("author", "resolved_by").order_by("created_at", "pk"):
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
        for e in agreement.events.select_related("actor").order_by("at", "pk")
    ]
    users = [
        {"username": u.username, "first_name": u.first_name, "last_name": u.last_name, "email": u.email}
        for u in User.objects.filter(username__in=usernames | {_user(agreement.created_by)} - {None}).order_by(
            "username"
        )
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "agreement": {
            "kind": agreement.kind,
            "title": agreement.title,
            "language": agreement.language,
            "status": agreement.status,
            "county": agreement.county.code,
            "main_theme": agreement.main_theme,
            "themes": agreement.themes,
            "valid_from": agreement.valid_from.isoformat(),
            "valid_until": agreement.valid_until.isoformat(),
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
        "users": users,
    }


def _find_organisation(key: dict[str, str], where: str) -> Organisation:
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


def _valid(instance, where: str, exclude: tuple[str, ...] = ()):
    """Saves an object only after the model's own validation (choices, validators, constraints)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise BundleError(f"{where}: {'; '.join(error.messages)}") from None
    instance.save()
    return instance


def _stamp(model, objects: list, **fields) -> None:
    """Puts back the original times that auto_now(_add) replaced on insert."""
    for obj, values in zip(objects, fields.pop("values"), strict=True):
        for name, value in values.items():
            setattr(obj, name, parse_datetime(value) if isinstance(value, str) else value)
    if objects:
        model.objects.bulk_update(objects, list(fields["names"]))


@transaction.atomic
def agreement_import(bundle: dict[str, Any]) -> Agreement:
    """Restores a bundle as a new agreement, all or nothing. Unknown users are created inactive."""
    if bundle.get("format") != FORMAT or bundle.get("version") != VERSION:
        raise BundleError(f"not a {FORMAT} bundle of version {VERSION}")
    stored: list = []
    try:
        return _import(bundle, stored)
    except Exception as error:
        # Annex files are written before the transaction commits: a failed import removes them.
        for file in stored:
            file.delete(save=False)
        if isinstance(error, ValidationError):
            raise BundleError("; ".join(error.messages)) from error
        if isinstance(error, KeyError | TypeError | ValueError):
            raise BundleError(f"the bundle is incomplete or malformed: {error!r}") from error
        raise


def _import(bundle: dict[str, Any], stored: list) -> Agreement:
    users = {}
    for data in bundle["users"]:
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
        users[user.username] = user

    def user(name):
        if name is None:
            return None
        if name not in users:
            raise BundleError(f"user {name!r} is used but not listed under users")
        return users[name]

    meta = bundle["agreement"]
    county = _find_organisation({"kind": "county", "code": meta["county"]}, "agreement").wellbeingcounty
    agreement = Agreement(
        kind=meta["kind"],
        title=meta["title"],
        language=meta["language"],
        status=meta["status"],
        county=county,
        main_theme=meta["main_theme"],
        themes=meta["themes"],
        valid_from=datetime.date.fromisoformat(meta["valid_from"]),
        valid_until=datetime.date.fromisoformat(meta["valid_until"]),
        created_by=user(meta["created_by"]),
    )
    agreement.full_clean()
    agreement.save()
    parties: dict[int, Party] = {}
    for n, data in enumerate(bundle["parties"]):
        organisation = _find_organisation(data["organisation"], f"parties[{n}]")
        party = Party(
            agreement=agreement,
            organisation=organisation,
            official_name=data["official_name"],
            business_id=data["business_id"],
            position=data["position"],
        )
        party.full_clean(exclude=["agreement"])
        party.save()
        parties[data["ref"]] = party
        permissions.party_grant(agreement=agreement, organisation=organisation)
    permissions.organiser_grant(agreement=agreement, county=county)

    def party(ref):
        if ref is None:
            return None
        if ref not in parties:
            raise BundleError(f"party ref {ref} is used but not listed under parties")
        return parties[ref]

    for n, data in enumerate(bundle["sections"]):
        section = _valid(
            Section(
                agreement=agreement,
                key=data["key"],
                title=data["title"],
                kind=data["kind"],
                position=data["position"],
                text=sanitize_html(data["text"]),
                version=data["version"],
                updated_at=parse_datetime(data["updated_at"]) if data["updated_at"] else None,
                updated_by=user(data["updated_by"]),
            ),
            f"sections[{n}]",
        )
        versions = [
            _valid(
                SectionVersion(
                    section=section,
                    number=v["number"],
                    text=sanitize_html(v["text"]),
                    based_on=v["based_on"],
                    restored_from=v["restored_from"],
                    resolved_conflict=v["resolved_conflict"],
                    # Bundles written before bursts were kept show each version as an entry.
                    starts_burst=v.get("starts_burst", True),
                    created_by=user(v["created_by"]),
                ),
                f"sections[{n}].versions[{m}]",
            )
            for m, v in enumerate(data["versions"])
        ]
        _stamp(
            SectionVersion,
            versions,
            names=["created_at"],
            values=[{"created_at": v["created_at"]} for v in data["versions"]],
        )
        comments: dict[int, Comment] = {}
        for m, c in enumerate(data["comments"]):
            comment = _valid(
                Comment(
                    section=section,
                    parent=comments.get(c["parent"]) if c["parent"] else None,
                    author=user(c["author"]),
                    party=party(c["party"]),
                    text=c["text"],
                    resolved_at=parse_datetime(c["resolved_at"]) if c["resolved_at"] else None,
                    resolved_by=user(c["resolved_by"]),
                ),
                f"sections[{n}].comments[{m}]",
            )
            comments[c["ref"]] = comment
            _stamp(Comment, [comment], names=["created_at"], values=[{"created_at": c["created_at"]}])
    for n, data in enumerate(bundle["goals"]):
        goal = _valid(
            Goal(
                agreement=agreement,
                title=data["title"],
                theme=data["theme"],
                description=data["description"],
                position=data["position"],
            ),
            f"goals[{n}]",
        )
        goal.responsible_parties.set([party(r) for r in data["responsible_parties"]])
        for m in data["measures"]:
            measure = _valid(
                Measure(
                    goal=goal,
                    description=m["description"],
                    position=m["position"],
                    lead_party=party(m["lead_party"]),
                    schedule=m["schedule"],
                ),
                f"goals[{n}].measures",
            )
            measure.co_parties.set([party(r) for r in m["co_parties"]])
        for i in data["indicators"]:
            values = {name: i[name] for name in (*INDICATOR_FIELDS, "position")}
            _valid(Indicator(goal=goal, **values), f"goals[{n}].indicators")
    for n, data in enumerate(bundle["forums"]):
        forum = _valid(
            Forum(
                agreement=agreement,
                name=data["name"],
                level=data["level"],
                chair=party(data["chair"]),
                meeting_frequency=data["meeting_frequency"],
                position=data["position"],
            ),
            f"forums[{n}]",
        )
        for seat in data["seats"]:
            _valid(ForumSeat(forum=forum, party=party(seat["party"]), seats=seat["seats"]), f"forums[{n}].seats")
    for n, data in enumerate(bundle["annexes"]):
        content = base64.b64decode(data["content_base64"], validate=True)
        if hashlib.sha256(content).hexdigest() != data["sha256"]:
            raise BundleError(f"annexes[{n}]: the content does not match its SHA-256")
        try:
            validate_pdf(ContentFile(content, name="annex.pdf"))
        except ValidationError as error:
            raise BundleError(f"annexes[{n}]: {'; '.join(error.messages)}") from None
        annex = Annex(
            agreement=agreement,
            title=data["title"],
            size=len(content),
            sha256=data["sha256"],
            uploaded_by=user(data["uploaded_by"]),
        )
        annex.file.save(f"{data['sha256'][:16]}.pdf", ContentFile(content), save=False)
        stored.append(annex.file)
        _valid(annex, f"annexes[{n}]")
        _stamp(Annex, [annex], names=["uploaded_at"], values=[{"uploaded_at": data["uploaded_at"]}])
    events = [
        _valid(Event(agreement=agreement, kind=e["kind"], actor=user(e["actor"]), subject=e["subject"]), f"events[{n}]")
        for n, e in enumerate(bundle["events"])
    ]
    _stamp(Event, events, names=["at"], values=[{"at": e["at"]} for e in bundle["events"]])
    Event.objects.create(agreement=agreement, kind=Event.Kind.IMPORTED, subject=agreement.title)
    Agreement.objects.filter(pk=agreement.pk).update(
        created_at=parse_datetime(meta["created_at"]), updated_at=parse_datetime(meta["updated_at"])
    )
    agreement.refresh_from_db()
    return agreement
