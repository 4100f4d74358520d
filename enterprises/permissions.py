"""Write permissions for enterprise data. Reads go through enterprises.selectors."""

from django.contrib.auth.models import User

from stationing.permissions import can_manage_programme_data, is_stationed_at


def can_edit_enterprise(user: User) -> bool:
    return can_manage_programme_data(user)


def can_record_enterprise_data(user: User, enterprise_id: int) -> bool:
    """Surveys and monthly figures: the office, or a cadre stationed at that enterprise."""
    return can_manage_programme_data(user) or is_stationed_at(user, enterprise_id)
