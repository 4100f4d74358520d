from django.urls import path

from . import views
from .views import formalities

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("mine/", views.MyProjectListView.as_view(), name="project-mine"),
    path("new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("<int:pk>/stage/", views.StageMoveView.as_view(), name="project-move-stage"),
    path("<int:pk>/milestones/new/", views.MilestoneCreateView.as_view(), name="milestone-create"),
    path("milestones/<int:pk>/edit/", views.MilestoneUpdateView.as_view(), name="milestone-update"),
    path("<int:pk>/progress/new/", views.ProgressCreateView.as_view(), name="progress-create"),
]

# Approval formalities (审批手续代办): the office's templates and a project's chain.
urlpatterns += [
    path(
        "formality-templates/",
        formalities.FormalityTemplateListView.as_view(),
        name="formality-templates",
    ),
    path(
        "formality-templates/<slug:kind>/steps/new/",
        formalities.FormalityStepCreateView.as_view(),
        name="formality-step-create",
    ),
    path(
        "formality-steps/<int:pk>/edit/",
        formalities.FormalityStepUpdateView.as_view(),
        name="formality-step-update",
    ),
    path(
        "formality-steps/<int:pk>/delete/",
        formalities.FormalityStepDeleteView.as_view(),
        name="formality-step-delete",
    ),
    path(
        "<int:pk>/formalities/",
        formalities.FormalityInstantiateView.as_view(),
        name="formality-instantiate",
    ),
    path(
        "formalities/<int:pk>/edit/",
        formalities.FormalityUpdateView.as_view(),
        name="formality-update",
    ),
]
