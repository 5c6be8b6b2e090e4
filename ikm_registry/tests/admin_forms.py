"""Helpers that post the admin's real forms: take what the page rendered (fields, inline management forms),
change a few values, post it back."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME


def _value(bound_field):
    value = bound_field.value()
    widget = bound_field.field.widget
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    formatted = widget.format_value(value)
    if isinstance(formatted, list):  # a single Select formats its value as a one-item list
        return formatted[0] if formatted else ""
    return "" if formatted is None else str(formatted)


def rendered_form_data(response) -> dict:
    """The POST data a browser would send for an admin change/add page as rendered, untouched."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound_field in form:
            value = _value(bound_field)
            if value is not None:
                data[bound_field.html_name] = value
    return data


def action_data(action: str, units, **extra) -> dict:
    return {"action": action, ACTION_CHECKBOX_NAME: [str(u.pk) for u in units], "index": "0", **extra}
