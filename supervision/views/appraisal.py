"""Appraisal pages (考核), under /appraisals/ (config/urls.py).

Reads go through supervision.selectors.appraisal (scoped: a run or result out of the user's scope
is a 404), writes through supervision.services.appraisal. The office starts, publishes and
re-runs; leaders read everything of their programmes; a dispatching unit's staff read their
cadres' published results; a cadre reads their own published result with its full breakdown and
may ask for a review within the window.
"""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from openpyxl import Workbook

from core.exports import Column, add_sheet, workbook_to_bytes
from core.forms import apply_validation_error
from core.idempotency import AlreadySubmitted, claim_token, previous_submission, record_result
from core.inputs import parse_id
from core.models import Profile, SubmissionToken
from core.permissions import is_office_or_leader
from core.roles import actor_for
from core.views import FilteredListView, PortalLoginRequiredMixin, xlsx_response
from stationing.choices import ReportRating
from stationing.models import Programme
from stationing.periods import period_label
from stationing.selectors import programme_list, report_list

from .. import permissions, selectors, services
from ..choices import AppraisalState, ReviewState, Satisfaction, TicketState
from ..filtersets import CadreResultFilterSet
from ..forms import appraisal as forms
from ..models import CadreResult
from ..services.appraisal import COMPONENTS, DAYS_ON_SITE_PER_ENTRY

HUNDRED = Decimal(100)


def percent(rate: Decimal | None) -> Decimal | None:
    """A stored share (0.8333) as a percentage of 2 decimals (83.33)."""
    return None if rate is None else (rate * HUNDRED).quantize(Decimal("0.01"))


def scoped_run(user, pk):
    return get_object_or_404(selectors.appraisal_run_list(user=user), pk=pk)


def _grade_label(result) -> str:
    return result.get_grade_display() if result.grade else ""


CADRE_COLUMNS = [
    Column(gettext_lazy("名次"), "rank"),
    Column(gettext_lazy("姓名"), "cadre.name"),
    Column(gettext_lazy("派出单位"), "unit.name", width=24),
    Column(gettext_lazy("工作组"), "work_group.name"),
    Column(gettext_lazy("报告报送（R）"), "reports"),
    Column(gettext_lazy("在岗考勤（A）"), "attendance"),
    Column(gettext_lazy("计划完成（P）"), "plan"),
    Column(gettext_lazy("问题解决（S）"), "problems"),
    Column(gettext_lazy("企业评价（E）"), "enterprise_rating"),
    Column(gettext_lazy("日常评定（O）"), "office_rating"),
    Column(gettext_lazy("总分"), "total"),
    Column(gettext_lazy("等次"), _grade_label),
    Column(gettext_lazy("因优秀比例调整"), "quota_moved"),
    Column(gettext_lazy("应报期数"), "expected_entries"),
    Column(gettext_lazy("按时报送"), "reports_on_time"),
    Column(gettext_lazy("逾期报送"), "reports_late"),
    Column(gettext_lazy("未报"), "reports_missing"),
    Column(gettext_lazy("在企天数"), "days_on_site"),
    Column(gettext_lazy("计入的工作任务数"), "plan_items"),
    Column(gettext_lazy("计入的诉求数"), "tickets_counted"),
    Column(gettext_lazy("企业评价人数"), "ratings_counted"),
    Column(gettext_lazy("已评定报告数"), "reviews_counted"),
]
UNIT_COLUMNS = [
    Column(gettext_lazy("名次"), "rank"),
    Column(gettext_lazy("派出单位"), "unit.name", width=24),
    Column(gettext_lazy("干部数"), "cadre_count"),
    Column(gettext_lazy("平均分"), "mean_total"),
    Column(gettext_lazy("优秀"), "excellent"),
    Column(gettext_lazy("良好"), "good"),
    Column(gettext_lazy("合格"), "passed"),
    Column(gettext_lazy("不合格"), "failed"),
]
DEPARTMENT_COLUMNS = [
    Column(gettext_lazy("名次"), "rank"),
    Column(gettext_lazy("承办单位"), "unit.name", width=24),
    Column(gettext_lazy("交办诉求数"), "tickets_assigned"),
    Column(gettext_lazy("按期答复数"), "answered_on_time"),
    Column(gettext_lazy("按期答复率（%）"), lambda r: percent(r.on_time_rate)),
    Column(gettext_lazy("已评价数"), "rated"),
    Column(gettext_lazy("满意"), "satisfied"),
    Column(gettext_lazy("基本满意"), "basic"),
    Column(gettext_lazy("满意度（%）"), lambda r: percent(r.satisfaction)),
    Column(gettext_lazy("平均答复用时（工作日）"), "mean_working_days"),
]


def _crumbs(*tail) -> list:
    """首页 › 考核 › … (base.html renders `breadcrumbs`)."""
    return [(_("考核"), reverse("appraisal-list")), *tail]


def _version(run) -> str:
    return _("第%(number)s版") % {"number": run.number}


def _run_crumbs(run, *tail) -> list:
    """考核 › programme › version (linked when something follows) › …"""
    version = (_version(run), reverse("appraisal-detail", args=[run.pk]) if tail else "")
    programme = (run.programme.name, reverse("appraisal-programme", args=[run.programme_id]))
    return _crumbs(programme, version, *tail)


# --- Index and programme ------------------------------------------------------------------------


class AppraisalIndexView(PortalLoginRequiredMixin, TemplateView):
    """考核: the office and leaders see their programmes with every run; a cadre their own
    published results; a dispatching unit's staff the published runs of their cadres."""

    template_name = "supervision/appraisal/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actor = actor_for(user)
        runs = list(selectors.appraisal_run_list(user=user).order_by("programme_id", "-number"))
        by_programme: dict[int, list] = {}
        for run in runs:
            by_programme.setdefault(run.programme_id, []).append(run)
        oversees = actor.is_office or actor.sees_programmes_of_unit
        programmes = []
        if oversees:
            programmes = list(programme_list(user=user).order_by("-start_date", "sort_key", "pk"))
        else:
            seen = {run.programme_id: run.programme for run in runs}
            programmes = sorted(seen.values(), key=lambda p: (p.sort_key, p.pk))
        context["programmes"] = [
            {"programme": p, "runs": by_programme.get(p.pk, [])} for p in programmes
        ]
        context["oversees"] = oversees
        context["own_results"] = list(selectors.own_published_results(user=user))
        context["open_reviews"] = (
            selectors.review_request_list(user=user).filter(state=ReviewState.OPEN).count()
            if oversees
            else 0
        )
        context["breadcrumbs"] = [(_("考核"), "")]
        return context


class AppraisalProgrammeView(PortalLoginRequiredMixin, FormView):
    """A programme's runs, and (office) the form that starts a new version.

    Starting is safe to double-submit: the form's token is claimed (and committed) before the
    computation, so a second submission of the same form is sent to the first one's run, or
    told that it is still being computed; a start while another run of the programme is being
    computed is refused by the service with a message.
    """

    template_name = "supervision/appraisal/programme.html"
    form_class = forms.AppraisalStartForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_office_or_leader(request.user):
            raise PermissionDenied(_("只有督查室和领导可以查看。"))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def programme(self) -> Programme:
        return get_object_or_404(programme_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"as_of": min(self.programme.end_date, timezone.localdate())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = self.programme
        context["runs"] = list(
            selectors.appraisal_run_list(user=self.request.user)
            .filter(programme=self.programme)
            .order_by("-number")
        )
        context["can_run"] = bool(permissions.may_run_appraisal(self.request.user))
        context["has_published"] = any(
            run.state == AppraisalState.PUBLISHED for run in context["runs"]
        )
        context["breadcrumbs"] = _crumbs((self.programme.name, ""))
        return context

    def post(self, request, *args, **kwargs):
        permissions.may_run_appraisal(request.user).check()
        self.programme  # noqa: B018 - a programme out of scope is a 404 before anything else
        previous = previous_submission(token=request.POST.get("form_token"), user=request.user)
        if previous is not None:
            return self._already_submitted(previous.result_url)
        return super().post(request, *args, **kwargs)

    def _already_submitted(self, url: str):
        if url:
            messages.info(self.request, _("该表单已经提交过，以下是第一次提交的考核结果。"))
            return redirect(url)
        messages.info(self.request, _("该表单已经提交，考核正在计算中，请稍后刷新。"))
        return redirect("appraisal-programme", pk=self.programme.pk)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                token = claim_token(
                    token=form.cleaned_data.get("form_token"), user=self.request.user
                )
        except AlreadySubmitted as exc:
            return self._already_submitted(exc.result_url)
        try:
            # Outside a transaction: the service commits the running row before computing, so a
            # concurrent start is refused while this one computes.
            run = services.appraisal_run_create(
                programme=self.programme,
                as_of=form.cleaned_data["as_of"],
                by=self.request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            if token is not None:
                SubmissionToken.objects.filter(pk=token.pk).delete()
            if getattr(exc, "code", None) == "busy":
                messages.error(self.request, " ".join(exc.messages))
                return redirect("appraisal-programme", pk=self.programme.pk)
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        url = reverse("appraisal-detail", args=[run.pk])
        if token is not None:
            record_result(token, url)
        done = _("考核已完成计算（第%(number)s版草稿），请核对后发布。")
        messages.success(self.request, done % {"number": run.number})
        return redirect(url)


# --- A run ------------------------------------------------------------------------------------


class RunMixin:
    """A run the user may read (else 404), and the context every tab of its page shares."""

    tab = "cadres"

    @cached_property
    def run(self):
        return scoped_run(self.request.user, self.kwargs["pk"])

    def run_context(self) -> dict:
        user = self.request.user
        run = self.run
        others = list(
            selectors.appraisal_run_list(user=user)
            .filter(programme_id=run.programme_id)
            .exclude(pk=run.pk)
            .exclude(state=AppraisalState.RUNNING)
            .order_by("-number")
        )
        actor = actor_for(user)
        return {
            "run": run,
            "tab": self.tab,
            "other_runs": others,
            "can_publish": run.state == AppraisalState.DRAFT
            and bool(permissions.may_run_appraisal(user)),
            "oversees": actor.is_office or actor.sees_programmes_of_unit,
            "weights": run.settings_snapshot.get("weights", {}),
            "breadcrumbs": _run_crumbs(run),
        }


class AppraisalRunDetailView(RunMixin, FilteredListView):
    """A run's cadres: filtered (unit, work group, grade, name), sortable, paged, counted; the
    export is the whole run as three sheets (these cadres, units, departments)."""

    template_name = "supervision/appraisal/run_detail.html"
    filterset_class = CadreResultFilterSet
    context_object_name = "results"
    sort_fields = {
        "rank": (gettext_lazy("名次"), ("rank",)),
        "cadre": (gettext_lazy("姓名"), ("cadre__sort_key",)),
        "unit": (gettext_lazy("派出单位"), ("unit__tree_key",)),
        "total": (gettext_lazy("总分"), ("total",)),
        "reports": (gettext_lazy("R"), ("reports",)),
        "attendance": (gettext_lazy("A"), ("attendance",)),
        "plan": (gettext_lazy("P"), ("plan",)),
        "problems": (gettext_lazy("S"), ("problems",)),
        "enterprise_rating": (gettext_lazy("E"), ("enterprise_rating",)),
        "office_rating": (gettext_lazy("O"), ("office_rating",)),
    }
    default_sort = "rank"
    export_columns = CADRE_COLUMNS

    def get_base_queryset(self):
        return selectors.cadre_result_list(user=self.request.user, run=self.run).order_by(
            "rank", "cadre__sort_key", "pk"
        )

    def get_export_title(self) -> str:
        run = self.run
        return _("%(programme)s考核结果第%(number)s版") % {
            "programme": run.programme.name,
            "number": run.number,
        }

    def export_response(self):
        user, run = self.request.user, self.run
        workbook = Workbook()
        add_sheet(workbook, _("干部"), CADRE_COLUMNS, self.get_queryset(), first=True)
        add_sheet(workbook, _("派出单位"), UNIT_COLUMNS, unit_rows(user, run))
        add_sheet(workbook, _("承办单位"), DEPARTMENT_COLUMNS, department_rows(user, run))
        title = self.get_export_title()
        return xlsx_response(workbook_to_bytes(workbook), title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.run_context())
        return context


def unit_rows(user, run):
    return selectors.unit_result_list(user=user, run=run).order_by(
        "rank", "-mean_total", "unit__tree_key", "pk"
    )


def work_group_rows(user, run):
    return selectors.work_group_result_list(user=user, run=run).order_by(
        "rank", "-mean_total", "work_group__sort_key", "pk"
    )


def department_rows(user, run):
    rows = list(
        selectors.department_result_list(user=user, run=run).order_by(
            "rank", "-on_time_rate", "unit__tree_key", "pk"
        )
    )
    for row in rows:
        row.on_time_percent = percent(row.on_time_rate)
        row.satisfaction_percent = percent(row.satisfaction)
    return rows


class AppraisalGroupView(RunMixin, PortalLoginRequiredMixin, TemplateView):
    """A run's units, work groups or departments (the `tab`)."""

    template_name = "supervision/appraisal/run_groups.html"
    rows = {"units": unit_rows, "work_groups": work_group_rows, "departments": department_rows}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.run_context())
        context["rows"] = list(self.rows[self.tab](self.request.user, self.run))
        context["sample"] = self.run.settings_snapshot.get(
            "department_min_sample" if self.tab == "departments" else "unit_min_sample"
        )
        return context


class AppraisalPublishView(RunMixin, PortalLoginRequiredMixin, FormView):
    """发布: a confirmation page (GET) and the publication (POST), office only."""

    template_name = "supervision/appraisal/publish.html"
    form_class = forms.PublishForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.run  # noqa: B018 - out of scope: 404 before the role check
            permissions.may_run_appraisal(request.user).check()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.run_context())
        context["breadcrumbs"] = _run_crumbs(self.run, (_("发布"), ""))
        return context

    def form_valid(self, form):
        try:
            services.appraisal_publish(run=self.run, by=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            messages.success(self.request, _("考核结果已发布，干部可以查看本人的结果。"))
        return redirect("appraisal-detail", pk=self.run.pk)


class AppraisalCompareView(RunMixin, PortalLoginRequiredMixin, TemplateView):
    """Two versions of a programme's appraisal side by side: the cadres whose numbers differ."""

    template_name = "supervision/appraisal/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.run_context())
        run = self.run
        others = context["other_runs"]
        chosen = self.request.GET.get("with", "")
        if chosen:
            other = next((r for r in others if r.pk == parse_id(chosen)), None)
            if other is None:
                raise Http404
        else:
            other = next((r for r in others if r.number < run.number), None) or (
                others[0] if others else None
            )
        context["other"] = other
        context["diffs"] = []
        if other is not None:
            old, new = sorted([other, run], key=lambda r: r.number)
            context["old"], context["new"] = old, new
            diffs = selectors.appraisal_compare(user=self.request.user, run_a=old, run_b=new)
            context["diffs"] = [
                {
                    "name": diff.name,
                    "a": diff.a,
                    "b": diff.b,
                    "delta": diff.total_delta,
                    "changed": [FIELD_LABELS.get(name, name) for name in diff.changes],
                }
                for diff in diffs
            ]
        context["breadcrumbs"] = _run_crumbs(run, (_("版本比较"), ""))
        return context


FIELD_LABELS = {
    name: CadreResult._meta.get_field(name).verbose_name
    for name in (*COMPONENTS, "total", "grade", "rank")
}


# --- A cadre's result -------------------------------------------------------------------------


def breakdown(result: CadreResult) -> dict:
    """How the total was reached: each component with its weight, whether it was left out, its
    share of the weights present, what it adds to the total and the counts behind it."""
    snapshot = result.run.settings_snapshot
    weights = snapshot.get("weights", {})
    present = sum(
        Decimal(str(weights.get(name, 0)))
        for name in COMPONENTS
        if getattr(result, name) is not None
    )
    rows = []
    for name in COMPONENTS:
        value = getattr(result, name)
        weight = Decimal(str(weights.get(name, 0)))
        left_out = value is None
        share = None if left_out or not present else (weight / present * HUNDRED)
        rows.append(
            {
                "key": name,
                "label": CadreResult._meta.get_field(name).verbose_name,
                "value": value,
                "weight": weight,
                "left_out": left_out,
                "share": None if share is None else share.quantize(Decimal("0.01")),
                "points": None
                if share is None
                else (value * share / HUNDRED).quantize(Decimal("0.01")),
            }
        )
    detail = result.detail or {}
    stars = detail.get("stars") or 0
    points = detail.get("review_points") or 0
    return {
        "rows": rows,
        "weight_present": present,
        "weight_all": sum(Decimal(str(weights.get(name, 0))) for name in COMPONENTS),
        "days_needed": DAYS_ON_SITE_PER_ENTRY * result.expected_entries,
        "days_per_entry": DAYS_ON_SITE_PER_ENTRY,
        "plan_items": detail.get("plan_items", []),
        "stars": stars,
        "mean_stars": (Decimal(stars) / result.ratings_counted).quantize(Decimal("0.01"))
        if result.ratings_counted
        else None,
        "review_points": points,
        "bands": snapshot.get("bands", {}),
        "quota_percent": snapshot.get("excellent_quota_percent"),
    }


VERDICTS = {
    "on_time": gettext_lazy("按时"),
    "late": gettext_lazy("逾期"),
    "missing": gettext_lazy("未报"),
}
TICKET_REASONS = {
    "closed": gettext_lazy("截止日期前已办结"),
    "red": gettext_lazy("截止日期时已超期未办结（红牌）"),
}


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else (value or "")


def _period(item: dict) -> str:
    return period_label(datetime.date.fromisoformat(item["start"]), item["part"])


def counted_items(user, result: CadreResult) -> dict:
    """What the run counted for the cadre, item by item, from the result's stored detail (runs
    made before it was stored have none): the expected report entries (R, A), the tickets (S),
    the enterprise ratings (E) and the reviewed reports (O), labelled in the reader's language.

    A report or ticket is linked only when the user may open it (its scoped selector: at most
    two queries, whatever the number of items)."""
    detail = result.detail or {}
    entries = detail.get("entries", [])
    reviewed = detail.get("reviewed_reports", [])
    tickets = detail.get("tickets", [])
    ratings = detail.get("ratings", [])
    report_ids = {e["report"] for e in entries if e["report"]} | {r["report"] for r in reviewed}
    openable_reports = (
        set(report_list(user=user).filter(pk__in=report_ids).values_list("pk", flat=True))
        if report_ids
        else set()
    )
    ticket_ids = {t["id"] for t in tickets}
    openable_tickets = (
        set(selectors.ticket_list(user=user).filter(pk__in=ticket_ids).values_list("pk", flat=True))
        if ticket_ids
        else set()
    )
    return {
        "entries": [
            {
                **entry,
                "label": _period(entry),
                "verdict_label": VERDICTS.get(entry["verdict"], entry["verdict"]),
                "rating_label": _label(ReportRating, entry["rating"]),
                "link": entry["report"] in openable_reports,
            }
            for entry in entries
        ],
        "reviewed": [
            {
                **review,
                "label": _period(review),
                "rating_label": _label(ReportRating, review["rating"]),
                "link": review["report"] in openable_reports,
            }
            for review in reviewed
        ],
        "tickets": [
            {
                **ticket,
                "state_label": _label(TicketState, ticket["state"]),
                "satisfaction_label": _label(Satisfaction, ticket["satisfaction"]),
                "reason_label": TICKET_REASONS.get(ticket["reason"], ticket["reason"]),
                "link": ticket["id"] in openable_tickets,
            }
            for ticket in tickets
        ],
        "ticket_points": sum((Decimal(t["weight"]) for t in tickets), Decimal(0)),
        "ratings": ratings,
        "itemised": "entries" in detail,
    }


def scoped_result(user, pk) -> CadreResult:
    return get_object_or_404(selectors.cadre_result_list(user=user), pk=pk)


class CadreResultDetailView(PortalLoginRequiredMixin, TemplateView):
    """One cadre's result, component by component, with the counts behind each; the cadre's
    review request (form within the window, or the request and its answer)."""

    template_name = "supervision/appraisal/result_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        result = scoped_result(user, kwargs["pk"])
        run = result.run
        context.update(
            result=result,
            run=run,
            breakdown=breakdown(result),
            counted=counted_items(user, result),
        )
        context["reviews"] = list(
            selectors.review_request_list(user=user).filter(result=result).order_by("pk")
        )
        deadline = services.review_deadline(run)
        context["review_deadline"] = deadline
        may = (
            bool(permissions.may_request_review(user, result))
            and run.state == AppraisalState.PUBLISHED
        )
        context["is_own"] = bool(permissions.may_request_review(user, result))
        context["can_request_review"] = (
            may and not context["reviews"] and deadline is not None and timezone.now() <= deadline
        )
        context["review_form"] = kwargs.get("review_form") or (
            forms.ReviewRequestForm() if context["can_request_review"] else None
        )
        actor = actor_for(user)
        context["oversees"] = actor.is_office or actor.sees_programmes_of_unit
        if context["oversees"]:
            context["breadcrumbs"] = _run_crumbs(run, (result.cadre.name, ""))
        else:
            context["breadcrumbs"] = _crumbs((result.cadre.name, ""))
        return context


class ReviewRequestCreateView(PortalLoginRequiredMixin, View):
    """POST: the cadre's review request for their result."""

    def post(self, request, pk):
        result = scoped_result(request.user, pk)
        permissions.may_request_review(request.user, result).check()
        form = forms.ReviewRequestForm(request.POST)
        if form.is_valid():
            try:
                services.review_request_create(
                    result=result, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    apply_validation_error(form, exc)
                else:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("appraisal-result", pk=result.pk)
            else:
                messages.success(request, _("复核申请已提交，督查室答复后会通知您。"))
                return redirect("appraisal-result", pk=result.pk)
        view = CadreResultDetailView()
        view.setup(request, pk=pk)
        context = view.get_context_data(pk=pk, review_form=form)
        return render(request, view.template_name, context)

    def get(self, request, pk):
        return redirect("appraisal-result", pk=pk)


# --- Review requests (office) -------------------------------------------------------------------


class ReviewListView(PortalLoginRequiredMixin, TemplateView):
    """The review requests of the user's programmes: open ones first, then answered ones."""

    template_name = "supervision/appraisal/review_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_office_or_leader(request.user):
            raise PermissionDenied(_("只有督查室和领导可以查看。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", ReviewState.OPEN)
        if state not in ReviewState.values:
            state = ReviewState.OPEN
        reviews = selectors.review_request_list(user=self.request.user).filter(state=state)
        order = ("created_at", "pk") if state == ReviewState.OPEN else ("-answered_at", "-pk")
        context["reviews"] = list(reviews.order_by(*order))
        context["state"] = state
        context["states"] = ReviewState.choices
        context["can_answer"] = bool(permissions.may_run_appraisal(self.request.user))
        context["breadcrumbs"] = _crumbs((_("复核申请"), ""))
        return context


class ReviewAnswerView(PortalLoginRequiredMixin, FormView):
    """The office answers a review request; with 重新考核 a new draft version is computed."""

    template_name = "supervision/appraisal/review_answer.html"
    form_class = forms.ReviewAnswerForm

    @cached_property
    def review(self):
        return get_object_or_404(
            selectors.review_request_list(user=self.request.user), pk=self.kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.review  # noqa: B018 - out of scope: 404 before the role check
            permissions.may_run_appraisal(request.user).check()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        context["breadcrumbs"] = _crumbs(
            (_("复核申请"), reverse("appraisal-reviews")), (self.review.cadre.name, "")
        )
        return context

    def form_valid(self, form):
        try:
            review = services.review_request_answer(
                review=self.review,
                by=self.request.user,
                answer=form.cleaned_data["answer"],
                rerun=form.cleaned_data["rerun"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_validation_error(form, exc)
                return self.form_invalid(form)
            messages.error(self.request, " ".join(exc.messages))
            return redirect("appraisal-reviews")
        if review.new_run_id:
            messages.success(
                self.request,
                _("已答复，并按原截止日期重新考核生成第%(number)s版草稿，请核对后发布。")
                % {"number": review.new_run.number},
            )
            return redirect("appraisal-detail", pk=review.new_run_id)
        messages.success(self.request, _("已答复。"))
        return redirect("appraisal-reviews")


# --- The enterprise rates its cadre -------------------------------------------------------------


class CadreRateView(PortalLoginRequiredMixin, View):
    """POST from the enterprise page's rating panel (supervision.panels): 1-5 stars."""

    def post(self, request):
        form = forms.CadreRatingForm(request.POST)
        actor = actor_for(request.user)
        back = (
            reverse("enterprise-detail", args=[actor.enterprise_id]) + "#cadre-ratings"
            if actor.enterprise_id
            else reverse("home")
        )
        if not form.is_valid():
            errors = [str(e) for field in form for e in field.errors] or [_("请选择1至5星。")]
            messages.error(request, " ".join(errors))
            return redirect(back)
        cadre = Profile.objects.filter(pk=form.cleaned_data["cadre"]).first()
        programme = Programme.objects.filter(pk=form.cleaned_data["programme"]).first()
        if cadre is None or programme is None:
            raise Http404
        try:
            services.cadre_rate(
                by=request.user,
                cadre=cadre,
                programme=programme,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已提交对%(name)s的评价，谢谢！") % {"name": cadre.name})
        return redirect(back)
