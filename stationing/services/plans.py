"""Work plan writes: edit the draft, submit, approve, return, and compare versions."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.inputs import parse_id
from core.locking import lock_for_edit, save_new_version

from ..choices import ItemStatus, PlanState
from ..models import Programme, WorkPlan, WorkPlanItem, WorkPlanVersion
from ..permissions import may_decide, may_submit_plan, may_write_plan, may_write_work_plan

ITEM_FIELDS = ("area", "title", "target", "owner", "due_date")
SNAPSHOT_FIELDS = (*ITEM_FIELDS, "position")


# `by=None` is the system (the demo loader, tests): the predicates guard what people do.


@transaction.atomic
def work_plan_get_or_create(*, programme: Programme, enterprise, by: User | None) -> WorkPlan:
    if by is not None:
        may_write_plan(by, programme_id=programme.pk, enterprise_id=enterprise.pk).check()
    plan, created = WorkPlan.objects.get_or_create(
        programme=programme, enterprise=enterprise, defaults={"updated_by": by}
    )
    if created:
        audit.record(by, AuditAction.CREATED, plan, audit.initial(_audited(plan)))
    return plan


def _audited(plan: WorkPlan) -> dict:
    """What the audit trail compares of a plan: state, summary and the live items (title and
    due date each; the version comparison page shows every field)."""
    return {
        **audit.snapshot(plan, ("state", "summary")),
        "items": [f"{item['title']}（{item['due_date']}）" for item in _snapshot(plan)],
    }


def _lock_plan(plan: WorkPlan, expected_version: int | None) -> WorkPlan:
    return lock_for_edit(WorkPlan.objects.all(), plan.pk, expected_version=expected_version)


def _clean_item(data: dict, index: int) -> dict:
    errors = {}
    cleaned = {}
    for name in ITEM_FIELDS:
        value = data.get(name)
        if value in (None, ""):
            errors[name] = _("必填。")
        cleaned[name] = value
    if isinstance(cleaned.get("due_date"), str) and cleaned["due_date"]:
        try:
            cleaned["due_date"] = datetime.date.fromisoformat(cleaned["due_date"])
        except ValueError:
            errors["due_date"] = _("日期格式应为 YYYY-MM-DD。")
    if errors:
        raise ValidationError(
            {f"items.{index}.{name}": message for name, message in errors.items()}
        )
    return cleaned


@transaction.atomic
def work_plan_save_draft(
    *,
    plan: WorkPlan,
    by: User | None,
    expected_version: int | None,
    summary: str,
    items: list[dict],
) -> WorkPlan:
    """Replace the live items with `items` (dicts with an optional `id`). A submitted plan is
    locked until the office decides; editing an approved plan starts a revision (back to draft)."""
    if by is not None:
        may_write_work_plan(by, plan).check()
    current = _lock_plan(plan, expected_version)
    if current.state == PlanState.SUBMITTED:
        raise ValidationError(_("计划已报送待审批，审批前不能修改。"), code="locked")
    before = _audited(current)
    cleaned_items = [_clean_item(data, index) for index, data in enumerate(items)]
    existing = {item.pk: item for item in current.items.filter(is_active=True)}
    kept = set()
    for position, (data, cleaned) in enumerate(zip(items, cleaned_items, strict=True)):
        item_id = data.get("id")
        item = existing.get(parse_id(item_id))
        if item is None:
            item = WorkPlanItem(plan=current)
        for name, value in cleaned.items():
            setattr(item, name, value)
        item.position = position
        item.updated_by = by
        try:
            item.full_clean(exclude=["plan"])
        except ValidationError as error:
            # Next to the item's row and field, as _clean_item's own errors (NUL, a date
            # out of range, text too long).
            raise ValidationError(
                {
                    f"items.{position}.{name}": messages
                    for name, messages in error.message_dict.items()
                }
            ) from None
        item.save()
        kept.add(item.pk)
    for item_id, item in existing.items():
        if item_id in kept:
            continue
        if item.reported_progress.exists():
            # Reports refer to it: keep the history, drop it from the plan.
            item.is_active = False
            item.save(update_fields=["is_active", "updated_at"])
        else:
            item.delete()
    current.summary = summary
    if current.state == PlanState.APPROVED:
        current.state = PlanState.DRAFT
    save_new_version(current, by=by)
    changes = audit.diff(before, _audited(current))
    if changes:
        audit.record(by, AuditAction.CHANGED, current, changes)
    return current


def _snapshot(plan: WorkPlan) -> list[dict]:
    return [
        {
            "id": item.pk,
            **{name: str(getattr(item, name)) for name in SNAPSHOT_FIELDS},
        }
        for item in plan.items.filter(is_active=True).order_by("position", "id")
    ]


@transaction.atomic
def work_plan_submit(
    *, plan: WorkPlan, by: User | None, at: datetime.datetime | None = None
) -> WorkPlan:
    """Freeze the live items as a new version for approval. `at` back-fills a paper submission."""
    if by is not None:
        may_submit_plan(by, plan, on_paper=at is not None).check()
    current = _lock_plan(plan, None)
    if current.state == PlanState.SUBMITTED:
        return current  # a repeated submit (double tap, retried request) changes nothing
    if current.state == PlanState.APPROVED:
        raise ValidationError(_("计划已批准，没有需要报送的修改。"), code="state")
    items = _snapshot(current)
    if not items:
        raise ValidationError(_("计划至少要有一项工作任务才能报送。"), code="empty")
    now = at or timezone.now()
    current.latest_number += 1
    WorkPlanVersion.objects.create(
        plan=current,
        number=current.latest_number,
        summary=current.summary,
        items=items,
        submitted_by=by,
        submitted_at=now,
    )
    from_state = current.state
    current.state = PlanState.SUBMITTED
    current.first_submitted_at = current.first_submitted_at or now
    save_new_version(current, by=by)
    audit.record(
        by,
        AuditAction.SUBMITTED,
        current,
        {
            "state": [from_state, current.state],
            "latest_number": [current.latest_number - 1, current.latest_number],
        },
        note=_("补录纸质报送") if at is not None else "",
    )
    return current


def _decide(plan: WorkPlan, *, by: User | None, state: str, comment: str, at=None) -> WorkPlan:
    current = _lock_plan(plan, None)
    if current.state != PlanState.SUBMITTED:
        raise ValidationError(_("只有待审批的计划才能审批。"), code="state")
    version = current.versions.get(number=current.latest_number)
    version.state = state
    version.decided_by = by
    version.decided_at = at or timezone.now()
    version.comment = comment
    version.save()
    changes = {"state": [current.state, state]}
    current.state = state
    if state == PlanState.APPROVED:
        changes["approved_number"] = [current.approved_number, version.number]
        current.approved_number = version.number
    save_new_version(current, by=by)
    action = AuditAction.APPROVED if state == PlanState.APPROVED else AuditAction.RETURNED
    audit.record(by, action, current, changes, note=comment)
    return current


@transaction.atomic
def work_plan_approve(*, plan: WorkPlan, by: User | None, comment: str = "", at=None) -> WorkPlan:
    if by is not None:
        may_decide(by).check()
    return _decide(plan, by=by, state=PlanState.APPROVED, comment=comment, at=at)


@transaction.atomic
def work_plan_return(*, plan: WorkPlan, by: User | None, comment: str) -> WorkPlan:
    if by is not None:
        may_decide(by).check()
    if not (comment or "").strip():
        raise ValidationError({"comment": _("退回时必须填写意见。")})
    return _decide(plan, by=by, state=PlanState.RETURNED, comment=comment.strip())


def work_plan_diff(older: WorkPlanVersion, newer: WorkPlanVersion) -> dict:
    """What changed between two versions: items added, removed and changed (field by field)."""
    old_items = {item["id"]: item for item in older.items}
    new_items = {item["id"]: item for item in newer.items}
    changed = []
    for item_id in old_items.keys() & new_items.keys():
        fields = {
            name: (old_items[item_id][name], new_items[item_id][name])
            for name in ITEM_FIELDS
            if old_items[item_id][name] != new_items[item_id][name]
        }
        if fields:
            changed.append({"item": new_items[item_id], "fields": fields})
    return {
        "summary_changed": older.summary != newer.summary,
        "added": [new_items[i] for i in new_items.keys() - old_items.keys()],
        "removed": [old_items[i] for i in old_items.keys() - new_items.keys()],
        "changed": changed,
    }


def reported_progress(progress: int, status: str) -> int:
    """An item's progress as a report gives it: an item reported done is at 100%."""
    return 100 if status == ItemStatus.DONE else progress


def reported_progress_expression(prefix: str = "") -> Case:
    """reported_progress as an expression over a ReportItemProgress (`prefix`: the path to it),
    for reads that take an item's progress from its reports in the database."""
    return Case(
        When(**{f"{prefix}status": ItemStatus.DONE}, then=Value(100)),
        default=F(f"{prefix}progress"),
        output_field=IntegerField(),
    )


def item_progress_from_report(*, item: WorkPlanItem, progress: int, status: str) -> None:
    """The plan item shows the latest reported progress (execution, not plan content)."""
    progress = reported_progress(progress, status)
    WorkPlanItem.objects.filter(pk=item.pk).update(progress=progress, status=status)
