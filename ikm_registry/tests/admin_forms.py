"""Helpers that post the admin's real forms: take what the page rendered (fields, inline management forms),
change a few values, post it back."""

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME


def _field_data(bound_field) -> dict:
    """What a browser sends for one bound field, as rendered (initial values included)."""
    value = bound_field.value()
    widget = bound_field.field.widget
    widget = getattr(widget, "widget", widget)  # the admin wraps related-field widgets
    name = bound_field.html_name
    if value is None:
        return {}
    if isinstance(widget, forms.MultiWidget):  # e.g. a split date/time: one input per part
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        return {
            name + suffix: str(sub.format_value(part) or "")
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=False)
        }
    if isinstance(value, bool):
        return {name: "on"} if value else {}
    if getattr(widget, "allow_multiple_selected", False):
        return {name: [str(v) for v in value]}
    formatted = widget.format_value(value)
    if isinstance(formatted, list):  # a single Select formats its value as a one-item list
        formatted = formatted[0] if formatted else ""
    return {name: "" if formatted is None else str(formatted)}


def rendered_form_data(response) -> dict:
    """The POST data a browser would send for an admin change/add page as rendered, untouched."""
    data = {}
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms_on_page.append(formset.management_form)
        forms_on_page.extend(formset.forms)
    for form in forms_on_page:
        for bound_field in form:
            data.update(_field_data(bound_field))
    return data


def action_data(action: str, units, **extra) -> dict:
    return {"action": action, ACTION_CHECKBOX_NAME: [str(u.pk) for u in units], "index": "0", **extra}
