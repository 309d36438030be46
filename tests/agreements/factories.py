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
