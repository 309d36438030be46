"""The people and the agreement most TYM tests start from (``tests.tym.builders``)."""

import pytest

from tests.tym.builders import complete, group_with_members, people, tym_agreement


@pytest.fixture
def who(areas):
    """The users of a TYM agreement in Pirkanmaa, keyed by what they are (``builders.people``)."""
    return people()


@pytest.fixture
def agreement(who):
    """Tampereen seutu's TYM agreement with every term filled (3,5 FTE of the authority, 2,5 of the
    county, 1 of Kela; joint costs 12 000 + 3 000 €): every statutory check passes. A test module
    that needs another one defines its own."""
    return complete(tym_agreement(group_with_members(who["coordinator"]), who["drafter"]))
