"""Agreements built with the same services production uses."""

from agreements.models import Agreement
from agreements.services import agreement_start
from regions.models import WellbeingCounty
from tests.conftest import make_user
from users.models import Role, User


def coordinator_of(code: str):
    county = WellbeingCounty.objects.get(code=code)
    existing = User.objects.filter(username=f"coordinator-{code}").first()
    return existing or make_user(f"coordinator-{code}", county, Role.COORDINATOR), county


def start_strategic(code: str = "08", **kwargs) -> Agreement:
    user, county = coordinator_of(code)
    kwargs.setdefault("title", f"Strateginen yhteistyösopimus {county.name_fi}")
    return agreement_start(by=user, county=county, **kwargs)


def bulk_versions(section, count: int, people: list[User], burst: int = 25) -> None:
    """``count`` versions of ``section`` as autosave writes them, fast: bursts of ``burst`` saves
    5 seconds apart, an hour between bursts, ``people`` taking turns by burst."""
    import datetime

    from django.utils import timezone

    from agreements.models import Section, SectionVersion

    start = timezone.now() - datetime.timedelta(days=400)

    def at(n: int):
        return start + datetime.timedelta(hours=(n - 1) // burst, seconds=5 * ((n - 1) % burst))

    first = section.version + 1
    rows = [
        SectionVersion(
            section=section,
            number=n,
            text=f"<p>Versio {n}</p>",
            based_on=n - 1,
            created_by=people[((n - 1) // burst) % len(people)],
            starts_burst=(n - 1) % burst == 0,
        )
        for n in range(first, first + count)
    ]
    SectionVersion.objects.bulk_create(rows, batch_size=1000)
    for row in rows:  # auto_now_add wrote the time of the insert
        row.created_at = at(row.number)
    SectionVersion.objects.bulk_update(rows, ["created_at"], batch_size=1000)
    last = rows[-1]
    Section.objects.filter(pk=section.pk).update(
        text=last.text, version=last.number, updated_at=last.created_at, updated_by=last.created_by
    )
    section.refresh_from_db()
