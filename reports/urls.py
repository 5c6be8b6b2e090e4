from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.PublishedReportListView.as_view(), name="list"),
    path("berkas/<int:pk>/<str:fmt>/", views.snapshot_file, name="file"),
    path("<str:region_code>/<int:year>/", views.ReportHistoryView.as_view(), name="history"),
]
