"""Reading pages as a browser would: the forms on a page, submitting one, and what in it could run."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.test import Client

# Attributes whose value a browser follows or runs as an address.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
# Elements none of our pages (the Django admin's included) contains.
FOREIGN_ELEMENTS = {"iframe", "frame", "object", "embed", "applet", "base", "style", "math"}


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser would send as it is

    def data(self, **changes) -> dict[str, str | list[str]]:
        """The form's own values with ``changes`` applied, as a dict for the test client."""
        data: dict[str, str | list[str]] = {}
        for name, value in self.fields:
            if name in data:
                previous = data[name]
                data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                data[name] = value
        data.update(changes)
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower(), a.get("enctype") or "")
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            self._form.fields.append((a["name"], a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops one newline right after <textarea>.
            self._form.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value = self._option["value"]
            self._options.append(
                (value if value is not None else "".join(self._option["text"]), self._option["selected"])
            )
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._select = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_on(client: Client, page: str, to: str | None = None) -> Form:
    """The last form on ``page`` that posts to ``to`` (by default the page itself)."""
    response = client.get(page)
    assert response.status_code == 200, f"{page} answered {response.status_code}"
    to = to or page
    found = [f for f in forms(response.content.decode()) if (f.action or page) == to and f.method == "post"]
    assert found, f"no form posting to {to} on {page}"
    return found[-1]


def submit(client: Client, page: str, to: str | None = None, files: dict | None = None, **changes):
    """Opens ``page``, fills in its form posting to ``to`` with ``changes`` and sends it, token included."""
    form = form_on(client, page, to)
    return client.post(form.action or page, {**form.data(**changes), **(files or {})})


class _LiveMarkup(HTMLParser):
    """Collects what in a page could run or load something: inline scripts, handlers, addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "head":
            self._in_head = True
        if tag == "script" and not (src.startswith("/") and not src.startswith("//")):
            self.problems.append(f"<script> not from our own origin: {attrs}")
        if tag == "img" and not src.startswith(("/static/", "data:image/")):
            self.problems.append(f"<img> not from our static files: {attrs}")
        if tag == "meta" and not self._in_head:
            self.problems.append(f"<meta> outside the head: {attrs}")
        if tag in FOREIGN_ELEMENTS:
            self.problems.append(f"<{tag}> element: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if (
                name in URL_ATTRIBUTES
                and value
                and "".join(value.split()).lower().startswith(("javascript:", "vbscript:", "data:text"))
            ):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def live_markup(html: str) -> list[str]:
    """Everything in ``html`` that a browser would run or load that our own templates never write."""
    parser = _LiveMarkup()
    parser.feed(html)
    return parser.problems


def without_csrf_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked: they are masked afresh on every render."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', html)
