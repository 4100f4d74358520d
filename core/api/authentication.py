"""Token authentication for the API: tokens expire (settings.API_TOKEN_TTL_DAYS).

`ExpiringTokenAuthentication` is DRF's token authentication, refusing a token older than the TTL
(core.selectors.api_token_is_expired) with a 401 in Chinese. The endpoint that hands tokens out
is core/api/tokens.py (kept apart: DRF imports this module while it loads its views).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core.selectors import api_token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if api_token_is_expired(token):
            raise AuthenticationFailed(_("认证令牌已过期，请重新获取。"), code="token_expired")
        return user, token
