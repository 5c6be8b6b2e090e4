from django import template

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
