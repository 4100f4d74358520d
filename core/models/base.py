"""Shared model bases: change tracking with optimistic locking, natural order, submission
tokens."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..inputs import CleanInputMixin
from ..ordering import SORT_KEY_LENGTH, natural_key


class TrackedModel(CleanInputMixin):
    """Creation and change times plus a version counter; full_clean refuses NUL in text and
    dates out of range (core.inputs).

    `version` is bumped on every save through the services; an edit form carries the version it
    was loaded with, and a save whose version no longer matches is refused (see locking.py).
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class NaturallyOrdered(models.Model):
    """A `sort_key` column holding the natural-order key of one field (see core.ordering).

    Lists, dropdowns and exports order by it instead of the name, so 第十组 follows 第九组 and
    names go by pinyin. It is filled on every save; `sort_key_source` names the field and
    `sort_key_function` how it is read (people override it with person_key).
    """

    sort_key_source = "name"
    sort_key_function = staticmethod(natural_key)

    sort_key = models.CharField(
        _("排序键"), max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default=""
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sort_key = self.compute_sort_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.sort_key_source in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    def compute_sort_key(self) -> str:
        return self.sort_key_function(getattr(self, self.sort_key_source))


class SubmissionToken(models.Model):
    """One row per submitted form token, so a double-clicked or retried POST saves once.

    The row is inserted in the same transaction as the object it creates; a second request with
    the same token hits the unique constraint and is sent to where the first one went.
    """

    token = models.UUIDField(unique=True, default=uuid.uuid4)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "stationing_submissiontoken"  # the name it had in stationing
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")

    def __str__(self):
        return str(self.token)
