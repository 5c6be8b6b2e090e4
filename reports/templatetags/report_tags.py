from django import template

from reports.presentation import format_value

register = template.Library()


@register.filter
def report_value(value, kind):
    """{{ value|report_value:"money" }} -> Rp1.500.000; None -> –"""
    return format_value(value, kind)
