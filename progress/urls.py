from django.urls import path

from progress.views import export, offline, player, programme, sessions

app_name = "progress"

urlpatterns = [
    # The guided player: under /routines/ because it plays one (and its address is in reminder
    # emails and calendar events already sent), but its run ends in a SessionLog, so it is ours.
    path("routines/<int:pk>/play/", player.player_start, name="player_start"),
    path("routines/<int:pk>/play/<int:number>/", player.player_step, name="player_step"),
    path(
        "routines/<int:pk>/play/<int:number>/variant/", player.player_step_variant, name="player_step_variant"
    ),
    path("routines/<int:pk>/play/finish/", player.player_finish, name="player_finish"),
    path("routines/<int:pk>/play/discard/", player.player_discard, name="player_discard"),
    path("routines/<int:pk>/play/stop/", player.player_stop, name="player_stop"),
    path("routines/<int:pk>/play/stopped/", player.player_stopped, name="player_stopped"),
    # The offline player (progress/views/offline.py).
    path("offline/play/", offline.player_offline, name="player_offline"),
    path("routines/<int:pk>/play/offline.json", offline.player_offline_pack, name="player_offline_pack"),
    path("routines/<int:pk>/play/offline-save/", offline.player_offline_save, name="player_offline_save"),
    path("progress/history/", sessions.history, name="history"),
    path("progress/sessions/new/", sessions.session_new, name="session_new"),
    path("progress/sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("progress/sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("progress/sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    path("programme/", programme.programme_page, name="programme"),
    path("programme/start/", programme.programme_start_view, name="programme_start"),
    path("programme/stop/", programme.programme_stop_view, name="programme_stop"),
    path("programme/changes/<int:pk>/undo/", programme.adjustment_undo_view, name="adjustment_undo"),
    path("progress/export/", export.export_page, name="export"),
    path("progress/export/sessions.csv", export.export_sessions_csv, name="export_sessions_csv"),
    path("progress/export/exercises.csv", export.export_exercises_csv, name="export_exercises_csv"),
    path("progress/export/unknot-data.json", export.export_json, name="export_json"),
]
