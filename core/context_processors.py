from .roles import actor_for, role_labels


def roles(request):
    """Expose the user's roles to templates (navigation shows what each role can do)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"actor": None, "role_labels": []}
    actor = actor_for(user)
    return {"actor": actor, "role_labels": role_labels(actor)}
