from django.urls import path

from coaching.views import client_side, clients, invitation, programme, roster

app_name = "coaching"

urlpatterns = [
    # The trainer's side.
    path("coach/", roster.roster, name="roster"),
    path("coach/invitations/", roster.invitation_list, name="invitation_list"),
    path("coach/invitations/<int:pk>/resend/", roster.invitation_resend_view, name="invitation_resend"),
    path("coach/invitations/<int:pk>/revoke/", roster.invitation_revoke_view, name="invitation_revoke"),
    path("coach/clients/<int:pk>/", clients.client_detail, name="client_detail"),
    path("coach/clients/<int:pk>/end/", clients.client_end, name="client_end"),
    path("coach/clients/<int:pk>/assign/", clients.client_assign, name="client_assign"),
    path("coach/clients/<int:pk>/sessions/<int:session_pk>/", clients.client_session, name="client_session"),
    path(
        "coach/clients/<int:pk>/sessions/<int:session_pk>/read/",
        clients.client_session_read,
        name="client_session_read",
    ),
    path(
        "coach/assignments/<int:pk>/update-copy/",
        clients.assignment_update_copy,
        name="assignment_update_copy",
    ),
    path("coach/routines/<int:pk>/assign/", clients.routine_assign_view, name="routine_assign"),
    path("coach/programme/", programme.programme_assign_view, name="programme_assign"),
    path("coach/programme/versions/", programme.programme_copy_view, name="programme_copy"),
    path(
        "coach/clients/<int:pk>/programme/hold/",
        programme.client_programme_hold_view,
        name="client_programme_hold",
    ),
    # Following an invitation link (the page itself is open to visitors: they sign up from it).
    path("invite/<str:token>/", invitation.invitation_respond, name="invitation_respond"),
    path("invite/<str:token>/answer/", invitation.invitation_answer, name="invitation_answer"),
    # The client's side.
    path("trainers/<int:pk>/", client_side.trainer_link, name="trainer_link"),
    path("trainers/<int:pk>/end/", client_side.trainer_link_end, name="trainer_link_end"),
    path("progress/sessions/<int:pk>/comments/", client_side.session_comment, name="session_comment"),
    path(
        "progress/sessions/<int:pk>/comments/read/",
        client_side.session_comments_read,
        name="session_comments_read",
    ),
]
