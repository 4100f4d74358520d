from django.urls import path

from . import views

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("new/", views.EnterpriseCreateView.as_view(), name="enterprise-create"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise-update"),
    path("<int:pk>/surveys/new/", views.SurveyCreateView.as_view(), name="survey-create"),
    path("<int:pk>/indicators/new/", views.IndicatorCreateView.as_view(), name="indicator-create"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator-update"),
]
