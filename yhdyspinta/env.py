"""Reading settings from the environment. A malformed value stops start-up with its name."""

import os
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choices(name: str, choices: Iterable[str], default: list[str]) -> list[str]:
    """A comma-separated list whose every item must be one of ``choices`` (case-insensitive)."""
    allowed = list(choices)
    values = [value.lower() for value in env_list(name, default)]
    for value in values:
        if value not in allowed:
            raise ImproperlyConfigured(f"{name} may list only {', '.join(allowed)}; {value!r} is none of them.")
    return values


_EMAIL_SCHEMES = {
    "smtp": (False, False),  # (TLS by STARTTLS, TLS from the start)
    "smtp+tls": (True, False),
    "smtps": (False, True),
}


def env_email(name: str) -> dict:
    """Django's e-mail settings from a URL: ``smtp://user:password@host:25``, ``smtp+tls://…:587``
    (STARTTLS), ``smtps://…:465``, or ``console://`` (mails printed to the log). Unset: console."""
    from urllib.parse import unquote, urlsplit

    raw = os.environ.get(name, "")
    if not raw:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    url = urlsplit(raw)
    if url.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.scheme not in _EMAIL_SCHEMES or not url.hostname:
        raise ImproperlyConfigured(f"{name} must be smtp://, smtp+tls://, smtps://host… or console://, not {raw!r}.")
    use_tls, use_ssl = _EMAIL_SCHEMES[url.scheme]
    try:
        port = url.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": url.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(url.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
