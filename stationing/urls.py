from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Cadres
    path("cadres/", views.CadreListView.as_view(), name="cadre-list"),
    path("cadres/new/", views.CadreCreateView.as_view(), name="cadre-create"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre-detail"),
    path("cadres/<int:pk>/edit/", views.CadreUpdateView.as_view(), name="cadre-update"),
    # Programmes, their work groups and assignments
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme-create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme-update"),
    path(
        "programmes/<int:pk>/work-groups/new/",
        views.WorkGroupCreateView.as_view(),
        name="work-group-create",
    ),
    path(
        "work-groups/<int:pk>/edit/", views.WorkGroupUpdateView.as_view(), name="work-group-update"
    ),
    path(
        "programmes/<int:pk>/assignments/new/",
        views.AssignmentCreateView.as_view(),
        name="assignment-create",
    ),
    path(
        "assignments/<int:pk>/edit/", views.AssignmentUpdateView.as_view(), name="assignment-update"
    ),
]
