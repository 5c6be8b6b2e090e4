"""What the OpenAPI document adds to drf-spectacular's: the API's error answers, which it cannot infer.

A list or the counts answer 400 with the message of each bad parameter (`FieldErrors`), a detail answers 404,
and any endpoint 429 past the throttle, with Retry-After: each with a `detail` message (`Error`).
"""

from django.utils.translation import gettext as _


def error_response(description: str, schema: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["FieldErrors"] = {
        "type": "object",
        "description": _("Per parameter yang salah, pesan-pesannya; `cursor` dan `page_size` juga."),
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"stars": [_("Bintang OVOP harus 1 sampai 5, bukan %(value)s.") % {"value": 9}]},
    }
    too_many = error_response(
        _("Terlalu banyak permintaan dari alamat ini; coba lagi setelah Retry-After detik."),
        "Error",
        {"Retry-After": {"schema": {"type": "integer"}, "description": _("Detik sampai jendela berikutnya.")}},
    )
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
                responses.setdefault("400", error_response(_("Parameter tidak sah."), "FieldErrors"))
            if "{" in path:
                responses.setdefault("404", error_response(_("Tidak ada, atau tidak terbit."), "Error"))
            responses.setdefault("429", too_many)
    return result
