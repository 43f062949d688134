from django.urls import path

from jamsos.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
