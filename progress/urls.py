from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
]
