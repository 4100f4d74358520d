"""Bulletins (通报): drafting a period's bulletin from the data, editing and publishing it.

The facts of period P (of programme G), as of the moment `now` the draft is made (after P's due
moment; the rules are the ones the matrix, the truancy list and the ticket lists use):

1. Report rates by dispatching unit: the assignments that owe a report for P (stationing's
   covering_assignments), grouped by their cadre's unit; handed in (handed_in_q) on time or
   late (the report's `is_late`, decided by its first submission), missing otherwise. Rate =
   handed in ÷ owed, on-time rate = on time ÷ owed, in %, half up to 2 decimals.
2. Missed reports: the assignments still owing P (assignments_owing_report) and how many
   periods in a row they have missed up to P: P's number minus the later of the last period
   up to P with a report handed in and the period before the first one the stationing covers
   (a stationing covers consecutive periods, so what lies between is missing).
3. Red tickets by department: G's tickets red at `now` (colour_q), per responsible unit.
4. Praise: P's reports reviewed 优; G's tickets closed 满意 during P that were answered before
   their deadline (提前办结).
5. Criticism: assignments with 2 or more missed periods in a row; the departments of red
   tickets.

Each part is one aggregate query, so the number of queries does not grow with the cadres. The
facts are stored as JSON with the names as they are now: a published bulletin never changes.
Drafting again updates a draft (facts, and each text the office has not edited) and leaves a
published bulletin alone. Numbers are given at publishing under a lock on the programme row.
"""

import datetime
from fractions import Fraction

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import audit
from core.choices import AuditAction
from core.dates import end_of_day, local_date, start_of_day
from core.locking import lock_for_edit, save_new_version
from stationing.choices import ReportRating, ReportState
from stationing.models import Assignment, Programme, ProgressReport, ReportPeriod
from stationing.selectors import assignments_owing_report, covering_assignments, handed_in_q

from .. import permissions
from ..choices import BulletinState, Colour, Satisfaction, TicketState
from ..models import Bulletin, Ticket
from ..models.bulletins import TEXT_SECTIONS
from ..selectors.tickets import colour_q
from .appraisal import round_half_up

# Missed this many periods in a row (or more): on the criticism list.
CRITICISED_RUN = 2
EDITABLE = ("title", "issuer", *TEXT_SECTIONS)


class BulletinStateError(ValidationError):
    def __init__(self, message):
        super().__init__(message, code="state")


def percent(part: int, whole: int) -> str | None:
    """part ÷ whole in %, half up to 2 decimals, without trailing zeros ("95.5", "100")."""
    if not whole:
        return None
    value = round_half_up(Fraction(100 * part, whole))
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _local(moment: datetime.datetime | None, fmt: str = "%Y-%m-%d") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


# --- The facts, one query each ----------------------------------------------------------------


def _unit_rates(period: ReportPeriod) -> list[dict]:
    handed = Q(reports__period=period) & handed_in_q("reports__")
    rows = (
        covering_assignments(Assignment.objects.all(), period)
        .values("cadre__unit_id", "cadre__unit__name", "cadre__unit__tree_key")
        .annotate(
            owed=Count("pk", distinct=True),
            on_time=Count("reports", filter=handed & Q(reports__is_late=False)),
            late=Count("reports", filter=handed & Q(reports__is_late=True)),
        )
        .order_by("cadre__unit__tree_key", "cadre__unit_id")
    )
    units = []
    for row in rows:
        handed_in = row["on_time"] + row["late"]
        units.append(
            {
                "unit_id": row["cadre__unit_id"],
                "unit": row["cadre__unit__name"] or _("未填派出单位"),
                "owed": row["owed"],
                "on_time": row["on_time"],
                "late": row["late"],
                "missing": row["owed"] - handed_in,
                "rate": percent(handed_in, row["owed"]),
                "on_time_rate": percent(row["on_time"], row["owed"]),
            }
        )
    return units


def _missed(period: ReportPeriod) -> list[dict]:
    last_handed_in = (
        ProgressReport.objects.filter(handed_in_q(), assignment_id=OuterRef("pk"))
        .filter(period__number__lte=period.number)
        .order_by("-period__number")
        .values("period__number")[:1]
    )
    first_covered = (
        ReportPeriod.objects.filter(
            programme_id=period.programme_id, end__gte=OuterRef("start_date")
        )
        .order_by("number")
        .values("number")[:1]
    )
    rows = (
        assignments_owing_report(period=period, assignments=Assignment.objects.all())
        .annotate(last_in=Subquery(last_handed_in), first_covered=Subquery(first_covered))
        .values(
            "pk",
            "cadre_id",
            "cadre__name",
            "cadre__sort_key",
            "cadre__unit__name",
            "cadre__unit__tree_key",
            "enterprise__name",
            "last_in",
            "first_covered",
        )
    )
    missed = []
    for row in rows:
        before_first = (row["first_covered"] or period.number) - 1
        in_a_row = period.number - max(row["last_in"] or 0, before_first)
        missed.append(
            {
                "assignment_id": row["pk"],
                "cadre_id": row["cadre_id"],
                "cadre": row["cadre__name"],
                "unit": row["cadre__unit__name"] or "",
                "enterprise": row["enterprise__name"],
                "in_a_row": in_a_row,
                "_order": (
                    -in_a_row,
                    row["cadre__unit__tree_key"] or "",
                    row["cadre__sort_key"],
                    row["pk"],
                ),
            }
        )
    missed.sort(key=lambda entry: entry["_order"])
    for entry in missed:
        del entry["_order"]
    return missed


def _red_tickets(period: ReportPeriod, now: datetime.datetime) -> list[dict]:
    rows = (
        Ticket.objects.filter(programme_id=period.programme_id)
        .filter(colour_q(Colour.RED, now))
        .values(
            "pk",
            "number",
            "title",
            "enterprise__name",
            "responsible_unit_id",
            "responsible_unit__name",
            "deadline",
        )
        .order_by("responsible_unit__tree_key", "deadline", "pk")
    )
    return [
        {
            "id": row["pk"],
            "number": row["number"],
            "title": row["title"],
            "enterprise": row["enterprise__name"],
            "unit_id": row["responsible_unit_id"],
            "unit": row["responsible_unit__name"] or "",
            "deadline": _local(row["deadline"]),
        }
        for row in rows
    ]


def _departments(red: list[dict]) -> list[dict]:
    """Red tickets per responsible unit, in the tickets' (unit tree) order."""
    departments: dict = {}
    for ticket in red:
        entry = departments.setdefault(
            ticket["unit_id"], {"unit_id": ticket["unit_id"], "unit": ticket["unit"], "red": 0}
        )
        entry["red"] += 1
    return list(departments.values())


def _praised_reports(period: ReportPeriod) -> list[dict]:
    rows = (
        ProgressReport.objects.filter(
            period=period, state=ReportState.REVIEWED, rating=ReportRating.EXCELLENT
        )
        .values(
            "pk",
            "assignment__cadre_id",
            "assignment__cadre__name",
            "assignment__cadre__unit__name",
            "assignment__enterprise__name",
        )
        .order_by("assignment__cadre__unit__tree_key", "assignment__cadre__sort_key", "pk")
    )
    return [
        {
            "report_id": row["pk"],
            "cadre_id": row["assignment__cadre_id"],
            "cadre": row["assignment__cadre__name"],
            "unit": row["assignment__cadre__unit__name"] or "",
            "enterprise": row["assignment__enterprise__name"],
        }
        for row in rows
    ]


def _praised_tickets(period: ReportPeriod) -> list[dict]:
    rows = (
        Ticket.objects.filter(
            programme_id=period.programme_id,
            state=TicketState.CLOSED,
            satisfaction=Satisfaction.SATISFIED,
            closed_at__gte=start_of_day(period.start),
            closed_at__lte=end_of_day(period.end),
            deadline__isnull=False,
            answered_at__lt=F("deadline"),
        )
        .values(
            "pk",
            "number",
            "title",
            "enterprise__name",
            "responsible_unit__name",
            "answered_at",
            "deadline",
        )
        .order_by("responsible_unit__tree_key", "closed_at", "pk")
    )
    return [
        {
            "id": row["pk"],
            "number": row["number"],
            "title": row["title"],
            "enterprise": row["enterprise__name"],
            "unit": row["responsible_unit__name"] or "",
            "answered": _local(row["answered_at"]),
            "deadline": _local(row["deadline"]),
        }
        for row in rows
    ]


def bulletin_facts(*, period: ReportPeriod, now: datetime.datetime) -> dict:
    """Everything a bulletin of `period` reports, as of `now` (the numbered rule above)."""
    units = _unit_rates(period)
    owed = sum(unit["owed"] for unit in units)
    on_time = sum(unit["on_time"] for unit in units)
    late = sum(unit["late"] for unit in units)
    missed = _missed(period)
    red = _red_tickets(period, now)
    departments = _departments(red)
    with override("zh-hans"):
        label = period.label
    facts = {
        "as_of": timezone.localtime(now).isoformat(),
        "as_of_label": _local(now, "%Y-%m-%d %H:%M"),
        "period": {
            "id": period.pk,
            "number": period.number,
            "label": label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "due": _local(period.due_at, "%Y-%m-%d %H:%M"),
        },
        "totals": {
            "owed": owed,
            "on_time": on_time,
            "late": late,
            "missing": owed - on_time - late,
            "rate": percent(on_time + late, owed),
            "on_time_rate": percent(on_time, owed),
            "red": len(red),
            "departments": len(departments),
        },
        "units": units,
        "missed": missed,
        "red_tickets": red,
        "departments": departments,
        "praised_reports": _praised_reports(period),
        "praised_tickets": _praised_tickets(period),
        "criticised_missed": [entry for entry in missed if entry["in_a_row"] >= CRITICISED_RUN],
    }
    facts["suggested"] = suggested_texts(facts)
    return facts


# --- The suggested texts ----------------------------------------------------------------------


def suggested_texts(facts: dict) -> dict:
    """The title and the four sections as drafted from the facts, in Chinese (an official
    document); the office edits them. Empty when there is nothing to say."""
    with override("zh-hans"):
        totals, period = facts["totals"], facts["period"]
        values = {
            **totals,
            "period": period["label"],
            "as_of": facts["as_of_label"],
            "rate": totals["rate"] or "0",
            "on_time_rate": totals["on_time_rate"] or "0",
        }
        overview = (
            _(
                "%(period)s，应报送半月报 %(owed)d 份，按时报送 %(on_time)d 份，"
                "逾期报送 %(late)d 份，未报送 %(missing)d 份，报送率 %(rate)s%%，"
                "按时报送率 %(on_time_rate)s%%。"
            )
            % values
        )
        if totals["red"]:
            overview += (
                _(
                    "截至 %(as_of)s，超过办结期限的红牌诉求 %(red)d 件，"
                    "涉及承办单位 %(departments)d 个。"
                )
                % values
            )
        else:
            overview += _("截至 %(as_of)s，没有超过办结期限的红牌诉求。") % values
        praise = []
        if facts["praised_reports"]:
            names = "、".join(
                _("%(cadre)s（%(unit)s，驻%(enterprise)s）") % entry
                for entry in facts["praised_reports"]
            )
            praise.append(
                _("以下同志本期半月报被评定为“优”，予以表扬：%(names)s。") % {"names": names}
            )
        if facts["praised_tickets"]:
            names = "、".join(
                _("%(unit)s（诉求 %(number)s“%(title)s”）") % entry
                for entry in facts["praised_tickets"]
            )
            praise.append(
                _("以下承办单位在办结期限前办结企业诉求，企业评价“满意”，予以表扬：%(names)s。")
                % {"names": names}
            )
        criticism = []
        if facts["criticised_missed"]:
            names = "、".join(
                _("%(cadre)s（%(unit)s，连续 %(in_a_row)d 期未报）") % entry
                for entry in facts["criticised_missed"]
            )
            criticism.append(
                _("以下同志连续两期及以上未报送半月报，予以通报批评：%(names)s。")
                % {"names": names}
            )
        if facts["departments"]:
            names = "、".join(_("%(unit)s（%(red)d 件）") % entry for entry in facts["departments"])
            criticism.append(
                _("以下承办单位有诉求超过办结期限（红牌），予以通报批评：%(names)s。")
                % {"names": names}
            )
        requirements = _(
            "一、各驻企干部要按时报送半月报，如实反映工作进展、存在问题和下一步措施。\n"
            "二、各派出单位要加强对本单位驻企干部的督促管理，对连续未报的干部及时约谈提醒。\n"
            "三、各承办单位要对红牌诉求限时办结，及时向企业反馈办理结果。"
        )
        return {
            "title": _("关于%(period)s驻企工作情况的通报") % values,
            "overview": overview,
            "praise": "\n".join(praise),
            "criticism": "\n".join(criticism),
            "requirements": requirements,
        }


# --- Writes -----------------------------------------------------------------------------------


def _lock_programme(programme_id: int) -> None:
    """Bulletin drafts and numbers of a programme are written one at a time."""
    Programme.objects.select_for_update().filter(pk=programme_id).first()


def bulletin_generate(
    *, period: ReportPeriod, by: User | None, now: datetime.datetime | None = None
) -> Bulletin:
    """Draft the bulletin of `period` from the data, or redraft its draft; a published
    bulletin is returned untouched. `by=None` is the system (the scheduled job).

    Redrafting replaces the facts and each text (title and sections) the office has not
    changed since it was drafted; what the office wrote stays.
    """
    now = now or timezone.now()
    programme = Programme.objects.select_related("organiser").get(pk=period.programme_id)
    if by is not None:
        permissions.may_edit_bulletins(by, programme).check()
    if period.due_at >= now:
        raise ValidationError(
            {
                "period": _("该期半月报的报送截止时间（%(due)s）未到，还不能生成通报。")
                % {"due": _local(period.due_at, "%Y-%m-%d %H:%M")}
            }
        )
    with transaction.atomic():
        _lock_programme(programme.pk)
        existing = Bulletin.objects.filter(period=period).first()
        if existing is not None and existing.is_published:
            return existing
        facts = bulletin_facts(period=period, now=now)
        suggested = facts["suggested"]
        if existing is None:
            bulletin = Bulletin(
                programme=programme,
                period=period,
                issuer=programme.organiser.name,
                facts=facts,
                generated_at=now,
                **{name: suggested[name] for name in ("title", *TEXT_SECTIONS)},
            )
            bulletin.updated_by = by
            bulletin.full_clean()
            bulletin.save()
            audit.record(by, AuditAction.CREATED, bulletin, {"title": [None, bulletin.title]})
            return bulletin
        bulletin = lock_for_edit(Bulletin.objects.all(), existing.pk, expected_version=None)
        previous = bulletin.facts.get("suggested", {})
        for name in ("title", *TEXT_SECTIONS):
            if getattr(bulletin, name) == previous.get(name):
                setattr(bulletin, name, suggested[name])
        bulletin.facts = facts
        bulletin.generated_at = now
        save_new_version(bulletin, by=by)
        return bulletin


def _check_draft(bulletin: Bulletin) -> None:
    if bulletin.is_published:
        raise BulletinStateError(
            _("通报已发布（%(number)s），不能再修改。") % {"number": bulletin.number_label}
        )


def bulletin_update(
    *,
    bulletin: Bulletin,
    by: User,
    expected_version: int | None,
    title: str,
    issuer: str,
    overview: str = "",
    praise: str = "",
    criticism: str = "",
    requirements: str = "",
) -> Bulletin:
    """The office edits a draft's title, issuing body and text sections (refused when someone
    saved it meanwhile: StaleEditError)."""
    permissions.may_edit_bulletins(by, bulletin.programme).check()
    values = {
        "title": title,
        "issuer": issuer,
        "overview": overview,
        "praise": praise,
        "criticism": criticism,
        "requirements": requirements,
    }
    values = {name: (value or "").strip() for name, value in values.items()}
    errors = {
        name: _("请填写%(field)s。") % {"field": Bulletin._meta.get_field(name).verbose_name}
        for name in ("title", "issuer")
        if not values[name]
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock_for_edit(
            Bulletin.objects.all(), bulletin.pk, expected_version=expected_version
        )
        _check_draft(current)
        before = audit.snapshot(current, values)
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        save_new_version(current, by=by)
        changes = audit.diff(before, audit.snapshot(current, values))
        if changes:
            audit.record(by, AuditAction.CHANGED, current, changes)
    return current


def next_sequence(programme_id: int, year: int) -> int:
    """The next number of the programme's bulletins in `year` (call under the programme lock)."""
    last = Bulletin.objects.filter(programme_id=programme_id, year=year).aggregate(
        n=Max("sequence")
    )["n"]
    return (last or 0) + 1


def bulletin_publish(
    *, bulletin: Bulletin, by: User, expected_version: int | None = None
) -> Bulletin:
    """Publish a draft with the next number of its programme in this year (驻企通报〔2027〕第3期).

    The programme row is locked first, so two publishes take turns and never get the same
    number (the unique constraint on programme, year and number backs that up).
    """
    permissions.may_edit_bulletins(by, bulletin.programme).check()
    with transaction.atomic():
        _lock_programme(bulletin.programme_id)
        current = lock_for_edit(
            Bulletin.objects.all(), bulletin.pk, expected_version=expected_version
        )
        if current.is_published:
            raise BulletinStateError(
                _("通报已经发布（%(number)s）。") % {"number": current.number_label}
            )
        if not current.title.strip():
            raise ValidationError({"title": _("请填写标题。")})
        now = timezone.now()
        year = local_date(now).year
        current.sequence = next_sequence(current.programme_id, year)
        current.year = year
        from_state = current.state
        current.state = BulletinState.PUBLISHED
        current.published_at = now
        current.published_by = by
        save_new_version(current, by=by)
        audit.record(
            by,
            AuditAction.PUBLISHED,
            current,
            {"state": [from_state, current.state], "sequence": [None, current.sequence]},
            note=current.number_label,
        )
    return current
