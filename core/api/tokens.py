"""POST /api/v1/auth/token/: username and password for the user's API token.

The sign-in goes through `authenticate(request, ...)`, so django-axes counts failures here as on
the sign-in page, and a locked account or address is answered 429 (core/signin.py). A token that
has expired is replaced (core.services.api_token_obtain).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from core.selectors import api_token_expires_at
from core.services import api_token_obtain
from core.signin import cool_off_minutes, lockout_message


class SignInLocked(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("登录失败次数过多，已暂时锁定。")
    default_code = "locked"


TokenAnswer = inline_serializer(
    name="ApiToken",
    fields={
        "token": serializers.CharField(help_text=_("API 令牌")),
        "expires": serializers.DateTimeField(help_text=_("失效时间")),
    },
)
Locked = inline_serializer(name="SignInLocked", fields={"detail": serializers.CharField()})


class TokenObtainSerializer(AuthTokenSerializer):
    # A user name longer than any account's is refused here: handed to authenticate(), django-axes
    # would try to record it in its 255-character column and fail with a 500 (found by
    # schemathesis, tests/test_api_fuzz.py).
    username = serializers.CharField(label=_("用户名"), max_length=150, write_only=True)


class TokenObtainView(ObtainAuthToken):
    serializer_class = TokenObtainSerializer

    @extend_schema(
        summary=_("获取 API 令牌"),
        description=_(
            "用用户名和密码换取 API 令牌；之后每个请求在请求头 Authorization 中写“Token 令牌”。"
            "令牌自签发起在设定的天数内有效，过期后再调用本接口会得到新令牌；"
            "本人可在“API 令牌”页面吊销或更换，督查室也可吊销。"
            "连续输错密码后账号或来源地址会被暂时锁定，锁定期间返回 429。"
        ),
        tags=["auth"],
        responses={
            200: TokenAnswer,
            400: OpenApiResponse(description=_("用户名或密码不正确")),
            429: OpenApiResponse(Locked, description=_("登录失败次数过多，已暂时锁定")),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # Axes marks the request it was handed (this DRF request, not Django's), both when
            # the account or address was already locked and on the failure that locks it.
            if getattr(request, "axes_locked_out", False):
                raise SignInLocked(lockout_message(cool_off_minutes(request))) from None
            raise
        token = api_token_obtain(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": api_token_expires_at(token)})
