"""The server-side allow-list, fed the usual cross-site scripting payloads."""

import pytest

from agreements.sanitize import plain_text, sanitize_html
from agreements.services import section_save
from tests.agreements.factories import start_strategic

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)" onmouseover="alert(1)">x</p>',
    '<form action="https://evil.example"><input name=x></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]
DANGEROUS = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "ontoggle",
    "javascript:",
    "data:",
    "<iframe",
    "<object",
    "<embed",
    "style=",
    "<style",
    "<svg",
    "<form",
    "<input",
    "<meta",
    "<base",
    "<link",
    "background=",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_dangerous_survives(payload):
    clean = sanitize_html(payload).lower()

    assert not [d for d in DANGEROUS if d in clean], clean


def test_the_formatting_an_editor_needs_survives():
    html = (
        '<h2>Otsikko</h2><p><strong>lihava</strong> <em>kursiivi</em> <a href="https://thl.fi">THL</a></p>'
        "<ul><li>yksi</li></ul><ol><li>kaksi</li></ol>"
        '<table><tbody><tr><th colspan="1" rowspan="1">a</th><td colspan="2" rowspan="1">b</td></tr></tbody></table>'
    )

    assert sanitize_html(html) == html.replace(
        'href="https://thl.fi"', 'href="https://thl.fi" rel="noopener noreferrer"'
    )


def test_saved_text_is_sanitised_whatever_the_client_sends(alice):
    section = start_strategic().sections.get(key="2")

    section_save(section=section, text='<p onclick="x()">Hei<script>alert(1)</script></p>', base_version=0, by=alice)

    section.refresh_from_db()
    assert section.text == "<p>Hei</p>"
    assert section.versions.get().text == "<p>Hei</p>"


def test_plain_text_keeps_blocks_on_their_own_lines():
    assert plain_text("<p>Yksi &amp; kaksi</p><ul><li>a</li><li>b</li></ul>") == "Yksi & kaksi\na\nb"
