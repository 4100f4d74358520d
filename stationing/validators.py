"""Field rules of stationing that the page forms, the API serializers and the Excel import share."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# A mainland mobile number: the cadre's login name.
MOBILE_PATTERN = r"^1[3-9]\d{9}$"

mobile_validator = RegexValidator(MOBILE_PATTERN, _("请填写11位手机号码。"))
