from django.urls import path, register_converter

from ikm_registry.public import views


class RegionCodeConverter:
    regex = r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RegionCodeConverter, "region")

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("ikm/", views.UnitListView.as_view(), name="unit-list"),
    path("ikm/unduh.csv", views.UnitDownloadView.as_view(), {"fmt": "csv"}, name="unit-download-csv"),
    path("ikm/unduh.json", views.UnitDownloadView.as_view(), {"fmt": "json"}, name="unit-download-json"),
    path("ikm/<str:registry_code>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("sentra/", views.SentraListView.as_view(), name="sentra-list"),
    path("sentra/<int:pk>/", views.SentraDetailView.as_view(), name="sentra-detail"),
    path("ovop/", views.OVOPCatalogueView.as_view(), name="ovop-list"),
    path("wilayah/", views.RegionListView.as_view(), name="region-list"),
    path("wilayah/<region:code>/", views.RegionDetailView.as_view(), name="region-detail"),
]
