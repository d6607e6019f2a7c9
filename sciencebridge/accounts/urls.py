from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_done, name="register_done"),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
    path("affiliation/confirm/<str:token>/", views.confirm_affiliation, name="confirm_affiliation"),
    path("affiliations/", views.affiliation_requests, name="affiliation_requests"),
    path("tokens/", views.tokens, name="tokens"),
    path(
        "login/",
        auth.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path(
        "password-reset/",
        auth.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:login"),
        ),
        name="password_reset_confirm",
    ),
]
