from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """Sections of the national industry classification GB/T 4754-2017."""

    AGRICULTURE = "A", _("农、林、牧、渔业")
    MINING = "B", _("采矿业")
    MANUFACTURING = "C", _("制造业")
    UTILITIES = "D", _("电力、热力、燃气及水生产和供应业")
    CONSTRUCTION = "E", _("建筑业")
    TRADE = "F", _("批发和零售业")
    TRANSPORT = "G", _("交通运输、仓储和邮政业")
    HOSPITALITY = "H", _("住宿和餐饮业")
    IT = "I", _("信息传输、软件和信息技术服务业")
    FINANCE = "J", _("金融业")
    REAL_ESTATE = "K", _("房地产业")
    BUSINESS_SERVICES = "L", _("租赁和商务服务业")
    RESEARCH = "M", _("科学研究和技术服务业")
    ENVIRONMENT = "N", _("水利、环境和公共设施管理业")
    RESIDENT_SERVICES = "O", _("居民服务、修理和其他服务业")
    EDUCATION = "P", _("教育")
    HEALTH = "Q", _("卫生和社会工作")
    CULTURE = "R", _("文化、体育和娱乐业")


class Ownership(models.TextChoices):
    STATE = "state", _("国有")
    COLLECTIVE = "collective", _("集体")
    PRIVATE = "private", _("民营")
    FOREIGN = "foreign", _("外资")
    HMT = "hmt", _("港澳台资")
    JOINT_STOCK = "joint_stock", _("股份制")
    OTHER = "other", _("其他")


class Size(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class ListingStatus(models.TextChoices):
    UNLISTED = "unlisted", _("未上市")
    PREPARING = "preparing", _("拟上市")
    NEEQ = "neeq", _("新三板挂牌")
    LISTED = "listed", _("已上市")


class IndicatorSource(models.TextChoices):
    CADRE = "cadre", _("驻企干部填报")
    STATISTICS = "statistics", _("统计部门导入")
