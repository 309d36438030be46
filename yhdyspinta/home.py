"""The logged-in home page's sections: each capability adds its own list of what awaits the user.

An app registers a ``HomeSection`` in its ``AppConfig.ready()``; the home view shows every section
in ``order`` whose selector returns something (``None`` hides the section for this user, for
example the administration tasks for someone who is not staff). The selector gets the user as a
keyword and returns what its template shows, as ``section`` in the template's context. A selector
runs a fixed number of queries whatever the number of agreements or comments, so the page does too.

    home.register(home.HomeSection(key="approvals", order=30,
                                   template="approvals/home/_awaiting.html",
                                   selector=selectors.home_approvals))
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from users.models import User


@dataclass(frozen=True)
class HomeSection:
    key: str  # unique; registering the same key again replaces the section (ready() may run twice in tests)
    template: str
    selector: Callable[..., Any]  # selector(*, user) -> the template's ``section``, or None to hide it
    order: int = 100  # lower first; agreements use 10 and 20, administration 90


@dataclass(frozen=True)
class ShownSection:
    key: str
    template: str
    data: Any


_SECTIONS: dict[str, HomeSection] = {}


def register(section: HomeSection) -> None:
    _SECTIONS[section.key] = section


def registered() -> list[HomeSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def home_sections(*, user: User) -> list[ShownSection]:
    """The sections this user's home page shows, in order, each with what its selector found."""
    shown = []
    for section in registered():
        data = section.selector(user=user)
        if data is not None:
            shown.append(ShownSection(key=section.key, template=section.template, data=data))
    return shown
