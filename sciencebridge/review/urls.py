from django.urls import path  # noqa: F401

app_name = "review"
urlpatterns: list = [
    path("invitations/<str:token>/", lambda r, token: None, name="respond"),
    path("runs/<int:pk>/", lambda r, pk: None, name="run"),
]
