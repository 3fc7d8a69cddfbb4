from django.urls import path

from routines import views

app_name = "routines"

urlpatterns = [
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
    path("before-you-start/", views.before_you_start, name="before_you_start"),
]
