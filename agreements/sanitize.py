"""The allow-list every section text passes through on the server, whatever the client sends."""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "colgroup",
    "col",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}


def sanitize_html(html: str) -> str:
    """Keeps text formatting, links to http(s) and mail, and simple tables; drops everything else.

    No scripts, event handlers, styles, embeds, or javascript:/data: links survive.
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={
            "script",
            "style",
            "template",
            "iframe",
            "object",
            "noscript",
            "textarea",
            "svg",
            "math",
        },
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The text of sanitised HTML, one block per line, for diffs and exports."""
    import html as html_module
    import re

    with_breaks = re.sub(r"</(p|h[1-6]|li|tr|blockquote)>|<br\s*/?>", "\n", html, flags=re.I)
    with_breaks = re.sub(r"</t[hd]>", "\t", with_breaks, flags=re.I)
    text = html_module.unescape(nh3.clean(with_breaks, tags=set()))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
