from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login", views.login_view, name="login"),
    path("login/", views.login_view),
    path("logout", views.logout_view, name="logout"),
    path("logout/", views.logout_view),
]
