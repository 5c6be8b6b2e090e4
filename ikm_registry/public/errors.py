"""What a visitor gets when a page does not exist or the server fails: the site's own page, in the visitor's
language, instead of Django's bare English one; under /api/, JSON, which is what programs read there.

Django's own 404 messages name models in English ("No IKMUnit matches the given query."), so a page shows
the message of a 404 only when a view raised it for the visitor (VisitorNotFound).
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

API_PREFIX = "/api/"


class VisitorNotFound(Http404):
    """A 404 whose message is written for the visitor, and shown on the page."""


def is_api(request) -> bool:
    """Whether the request is for the JSON API (which speaks JSON and honours Accept-Language)."""
    return request.path_info.startswith(API_PREFIX)


def page_not_found(request, exception=None):
    if is_api(request):
        message = _("Alamat ini tidak ada di API. Daftar alamat dan parameternya: %(docs)s") % {
            "docs": request.build_absolute_uri(reverse("api:docs"))
        }
        return JsonResponse({"detail": message}, status=404, json_dumps_params={"ensure_ascii": False})
    message = str(exception) if isinstance(exception, VisitorNotFound) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    if is_api(request):
        message = _("Terjadi kesalahan di server. Kesalahan ini sudah dicatat; coba lagi nanti.")
        return JsonResponse({"detail": message}, status=500, json_dumps_params={"ensure_ascii": False})
    # 500.html stands alone (no database, no context processors): the failure may lie in any of them.
    return django_server_error(request)
