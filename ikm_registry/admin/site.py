from django.conf import settings
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _site_header() -> str:
    return gettext("Registri IKM — %(office)s") % {"office": settings.OFFICE_NAME}


# Lazy, so that the header follows the request's language: `_() % ...` here would fix it at import time.
admin.site.site_header = lazy(_site_header, str)()
admin.site.site_title = _("Registri IKM")
admin.site.index_title = _("Administrasi data IKM")
