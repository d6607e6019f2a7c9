from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<slug:code>/", views.call_review, name="call"),
    path("calls/<slug:code>/<str:side>/run/", views.start_run, name="start_run"),
    path("calls/<slug:code>/<str:side>/deadline/", views.set_deadline, name="set_deadline"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("runs/<int:pk>/add/", views.add_reviewer, name="add_reviewer"),
    path("runs/<int:pk>/experts/", views.run_experts, name="run_experts"),
    path("runs/<int:pk>/publish/", views.publish, name="publish"),
    path("seats/<int:pk>/remove/", views.remove_reviewer, name="remove_reviewer"),
    path("my/", views.mine, name="mine"),
    path("invitations/<str:token>/", views.respond, name="respond"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/no-conflict/", views.confirm_no_conflict, name="confirm_no_conflict"),
    path("reviews/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
]
