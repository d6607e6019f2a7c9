from django.urls import path

from . import views

app_name = "rechecks"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/<str:ref>/<str:side>/", views.request_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
