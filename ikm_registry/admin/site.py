from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Registri IKM — %(office)s") % {"office": settings.OFFICE_NAME}
admin.site.site_title = _("Registri IKM")
admin.site.index_title = _("Administrasi data IKM")
