import json

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ikm_registry import formatting

register = template.Library()


@register.filter
def rupiah(value):
    """{{ amount|rupiah }} -> Rp1.500.000"""
    return formatting.format_rupiah(value)


@register.filter
def angka(value, decimals=0):
    """{{ count|angka }} -> 1.500"""
    return formatting.format_number(value, int(decimals))


@register.filter
def tanggal(value):
    """{{ date|tanggal }} -> 23 November 2026"""
    return formatting.format_date(value)


MEMO_MAX_ENTRIES = 200  # per block: languages × the few values a block varies on


class MemoNode(template.Node):
    """A block rendered once per process for each language and value of its `vary` arguments."""

    def __init__(self, nodelist, vary):
        self.nodelist = nodelist
        self.vary = vary
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        # URLs inside depend on the script prefix and the URLconf, read once per render of a template (each is
        # a lookup in a context-local), text on the language, read per block ({% language %} may change it).
        urls = getattr(context, "_memo_urls", None)
        if urls is None:
            urls = context._memo_urls = (get_script_prefix(), get_urlconf())
        key = (get_language(), *urls, *(v.resolve(context) for v in self.vary))
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) < MEMO_MAX_ENTRIES:
                self.rendered[key] = html
        return html


@register.tag
def memo(parser, token):
    """{% memo [vary ...] %}…{% endmemo %}: markup that depends only on the language and the `vary` values,
    rendered once per process and then reused.

    For the shell every public page shares (navigation, footer): its links and translated labels were three
    quarters of the time of a page served from the cache. Never put anything per visitor or per request
    inside (a CSRF token, the request's path) unless it is one of the `vary` values.
    """
    vary = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, vary)


@register.filter
def ld_json(data: dict) -> str:
    """A JSON-LD block for search engines. <, > and & are written as escapes, so that no text in the data can
    close the script element (as Django's json_script does for its own element)."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
