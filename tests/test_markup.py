"""Templates stay ready for a strict Content-Security-Policy: no inline script, style or handler."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((settings.BASE_DIR / "templates").rglob("*.html"))
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "resource from another origin": re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_template_is_csp_ready(template: Path):
    source = template.read_text(encoding="utf-8")
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(source)]

    assert not found, f"{template.name}: {', '.join(found)}"


def test_the_check_catches_what_it_is_for():
    assert FORBIDDEN["event handler attribute"].search('<button onclick="x()">')
    assert FORBIDDEN["inline script"].search("<script>alert(1)</script>")
    assert not FORBIDDEN["inline script"].search('<script src="/static/x.js" defer></script>')


@pytest.mark.parametrize("url", ["/", "/regions/", "/login/"])
def test_pages_are_served_with_a_strict_content_security_policy(client, areas, url):
    policy = client.get(url)["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
