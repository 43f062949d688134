from django.urls import path

from jamsos.calculator import views

urlpatterns = [
    path("simulasi-iuran/", views.contribution_simulator, name="contribution-simulator"),
    path("simulasi-manfaat/", views.benefit_simulator, name="benefit-simulator"),
]
