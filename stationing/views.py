from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from enterprises.selectors import enterprise_list

from .choices import Role
from .roles import actor_for
from .selectors import assignment_list, cadre_list, profile_for, programme_list


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page; each role sees who they are and what to do next."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actor = actor_for(user)
        context["profile"] = profile_for(user=user)
        if actor.is_office or actor.has(Role.LEADER):
            programmes = programme_list(user=user)
            context["programmes"] = programmes[:10]
            context["counts"] = {
                "programmes": programmes.count(),
                "enterprises": enterprise_list(user=user).count(),
                "key_enterprises": enterprise_list(user=user).filter(is_key=True).count(),
                "cadres": cadre_list(user=user).count(),
                "assignments": assignment_list(user=user).count(),
            }
        if actor.has(Role.CADRE):
            context["my_assignments"] = assignment_list(user=user).filter(cadre_id=actor.profile_id)
        if actor.has(Role.ENTERPRISE) and actor.enterprise_id:
            context["my_enterprise"] = (
                enterprise_list(user=user).filter(pk=actor.enterprise_id).first()
            )
            context["stationed_here"] = assignment_list(user=user).filter(
                enterprise_id=actor.enterprise_id
            )
        return context
