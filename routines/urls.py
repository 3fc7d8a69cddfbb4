from django.urls import path

from routines.views import library, routines

app_name = "routines"

urlpatterns = [
    path("exercises/", library.exercise_list, name="exercise_list"),
    path("exercises/<slug:slug>/", library.exercise_detail, name="exercise_detail"),
    path("before-you-start/", library.before_you_start, name="before_you_start"),
    path("what-we-left-out/", library.what_we_left_out, name="what_we_left_out"),
    path("routines/", routines.routine_list, name="routine_list"),
    path("routines/new/", routines.routine_new, name="routine_new"),
    path("routines/<int:pk>/", routines.routine_detail, name="routine_detail"),
    path("routines/<int:pk>/use/", routines.routine_use, name="routine_use"),
    path("routines/<int:pk>/start/", routines.routine_start_now, name="routine_start_now"),
    path("routines/<int:pk>/edit/", routines.routine_edit, name="routine_edit"),
    path("routines/<int:pk>/delete/", routines.routine_delete_view, name="routine_delete"),
    path("routines/<int:pk>/items/", routines.routine_item_add_view, name="item_add"),
    path("routines/<int:pk>/items/<int:item_pk>/", routines.routine_item_update_view, name="item_update"),
    path("routines/<int:pk>/items/<int:item_pk>/move/", routines.routine_item_move_view, name="item_move"),
    path("routines/<int:pk>/items/<int:item_pk>/step/", routines.routine_item_step_view, name="item_step"),
    path(
        "routines/<int:pk>/items/<int:item_pk>/remove/", routines.routine_item_remove_view, name="item_remove"
    ),
    path(
        "routines/<int:pk>/items/<int:item_pk>/keep-original/",
        routines.routine_item_keep_original_view,
        name="item_keep_original",
    ),
    path(
        "routines/<int:pk>/items/<int:item_pk>/use-alternative/",
        routines.routine_item_use_alternative_view,
        name="item_use_alternative",
    ),
]
