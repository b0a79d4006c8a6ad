"""A page's Markdown made into safe HTML: headings, lists, emphasis, links; no raw HTML, no script."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote",
    "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render(text: str) -> SafeString:
    """Markdown to HTML, then cleaned by nh3: whatever an editor (or a stolen account) typed, no script runs.

    Raw HTML in the Markdown is cleaned too (``<script>`` with its content goes); links
    keep http(s), mailto and tel and get ``rel="noopener noreferrer"``.
    """
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above
