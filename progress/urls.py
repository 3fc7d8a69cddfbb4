from django.urls import path

from progress.views import export, sessions

app_name = "progress"

urlpatterns = [
    path("history/", sessions.history, name="history"),
    path("sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    # Export (progress/views/export.py) goes below.
    path("export/", export.export_page, name="export"),
    path("export/sessions.csv", export.export_sessions_csv, name="export_sessions_csv"),
    path("export/exercises.csv", export.export_exercises_csv, name="export_exercises_csv"),
    path("export/unknot-data.json", export.export_json, name="export_json"),
]
