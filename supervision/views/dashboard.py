"""The leadership dashboard (驾驶舱), /dashboard/: one programme's figures as of now, each
linking to the list it counts with the same filters. Office and leaders only (others 403); a
programme outside the user's programme_list, or a filter outside its choices, is a 404.

The figures come from supervision.selectors.dashboard; this view only picks the scope, builds
the drill-down links (the list pages' own FilterSet parameters) and the charts' data, which
static/js/dashboard.js draws with ECharts (json_script: the CSP forbids inline scripts).
`?wall=1` is the wall display: no navigation, larger type, reloading itself every few minutes.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.inputs import parse_id
from core.views import OfficeOrLeaderRequiredMixin
from projects.choices import Colour as ProjectColour
from projects.choices import Stage
from stationing.choices import PlanState, ProgrammeStatus
from stationing.selectors import programme_list

from ..choices import Category, Colour, Level, Satisfaction, TicketState
from ..forms.dashboard import DashboardFilterForm
from ..selectors.dashboard import INDICATORS, Scope, cached_dashboard

WALL_REFRESH_SECONDS = 300
INDICATOR_LABELS = {
    "output_value": gettext_lazy("工业总产值"),
    "value_added": gettext_lazy("工业增加值"),
    "profit_tax": gettext_lazy("利税"),
    "profit": gettext_lazy("利润"),
    "investment": gettext_lazy("工业投资"),
}


def _label(key):
    return str(INDICATOR_LABELS[key])


class Links:
    """URLs of the list pages with the dashboard's scope as their filters."""

    def __init__(self, scope: Scope):
        self.base = {"programme": scope.programme.pk}
        for key in ("region", "unit", "work_group"):
            value = getattr(scope, key)
            if value is not None:
                self.base[key] = value.pk
        self.region = {"region": scope.region.pk} if scope.region is not None else {}

    def url(self, name: str, scoped: bool = True, **params) -> str:
        query = {**(self.base if scoped else self.region), **params}
        return f"{reverse(name)}?{urlencode(query)}"

    def tickets(self, **params):
        return self.url("ticket-list", **params)

    def reports(self, **params):
        return self.url("report-list", **params)

    def assignments(self, **params):
        return self.url("assignment-list", **params)

    def plans(self, **params):
        return self.url("plan-list", **params)

    def enterprises(self, **params):
        return self.url("enterprise-list", **params)

    def projects(self, **params):
        """The project list: its FilterSet knows programme, region and unit, not work groups
        (the dashboard's project figures ignore the work group too)."""
        query = {k: v for k, v in self.base.items() if k != "work_group"}
        return f"{reverse('project-list')}?{urlencode({**query, **params})}"


class DashboardView(OfficeOrLeaderRequiredMixin, TemplateView):
    template_name = "supervision/dashboard/dashboard.html"

    def get_scope(self):
        user = self.request.user
        programmes = programme_list(user=user)
        chosen = self.request.GET.get("programme", "")
        if chosen:
            pk = parse_id(chosen)
            if pk is None:
                raise Http404
            programme = programmes.filter(pk=pk).first()
            if programme is None:
                raise Http404
        else:
            programme = (
                programmes.filter(status=ProgrammeStatus.ACTIVE)
                .order_by("-start_date", "sort_key", "pk")
                .first()
                or programmes.order_by("-start_date", "sort_key", "pk").first()
            )
        data = self.request.GET.copy()
        if programme is not None:
            data["programme"] = programme.pk
        form = DashboardFilterForm(data, user=user, programme=programme)
        if programme is None:
            return form, None
        if not form.is_valid():
            raise Http404
        cleaned = form.cleaned_data
        scope = Scope(
            programme=programme,
            region=cleaned.get("region"),
            unit=cleaned.get("unit"),
            work_group=cleaned.get("work_group"),
        )
        return form, scope

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, scope = self.get_scope()
        wall = self.request.GET.get("wall") == "1"
        context.update(form=form, scope=scope, wall=wall, refresh=WALL_REFRESH_SECONDS)
        context["breadcrumbs"] = [(_("领导驾驶舱"), "")]
        if scope is None:
            return context
        board = cached_dashboard(user=self.request.user, scope=scope)
        links = Links(scope)
        query = {k: v for k, v in links.base.items()}
        context.update(
            board=board,
            links=links,
            wall_url=f"{reverse('dashboard')}?{urlencode({**query, 'wall': 1})}",
            normal_url=f"{reverse('dashboard')}?{urlencode(query)}",
            coverage=self.coverage_cards(board, links),
            report_cards=self.report_cards(board, links),
            ticket_cards=self.ticket_cards(board, links),
            report_trend=self.report_trend(board, links),
            report_units=self.report_units(board, links),
            categories=self.breakdown(board.tickets["by_category"], "category", Category, links),
            levels=self.breakdown(board.tickets["by_level"], "level", Level, links),
            departments=self.departments(board, links),
            weekly=self.weekly(board, links),
            indicators=self.indicators(board),
            project_cards=self.project_cards(board, links),
            project_stages=self.project_stages(board, links),
            project_groups=[
                {
                    "title": _("按包项领导"),
                    "column": _("包项领导"),
                    "testid": "table-project-leaders",
                    "rows": self.project_groups(board.projects["leaders"], "leader", links),
                },
                {
                    "title": _("按牵头单位"),
                    "column": _("牵头单位"),
                    "testid": "table-project-units",
                    "rows": self.project_groups(board.projects["units"], "lead_unit", links),
                },
            ],
            charts=self.charts(board),
        )
        return context

    # --- Figures with their links -------------------------------------------------------------

    @staticmethod
    def coverage_cards(board, links):
        c = board.coverage
        return [
            {
                "key": "enterprises",
                "label": _("驻企企业"),
                "value": c["enterprises"],
                "url": links.enterprises(),
            },
            {
                "key": "key_stationed",
                "label": _("已派驻重点企业"),
                "value": c["key_stationed"],
                "url": links.enterprises(is_key="true"),
                "note": _("覆盖率 %(rate)s%%") % {"rate": c["key_coverage"]}
                if c["key_coverage"] is not None
                else "",
            },
            {
                "key": "key_enterprises",
                "label": _("重点企业"),
                "value": c["key_enterprises"],
                "url": links.url("enterprise-list", scoped=False, is_key="true"),
            },
            {
                "key": "on_site",
                "label": _("在驻干部（人次）"),
                "value": c["on_site"],
                "url": links.assignments(active_on=board.now.date().isoformat()),
            },
            {
                "key": "plans_approved",
                "label": _("工作计划已批准"),
                "value": c["plans_approved"],
                "url": links.plans(state=PlanState.APPROVED),
            },
            {
                "key": "plans_overdue",
                "label": _("计划逾期未报"),
                "value": c["plans_overdue"],
                "url": links.assignments(plan_overdue="true"),
                "tone": "danger",
            },
        ]

    @staticmethod
    def report_cards(board, links):
        r = board.reports
        period = r["period"]
        if period is None:
            return []
        return [
            {
                "key": "owed",
                "label": _("应报"),
                "value": r["owed"],
                "url": links.assignments(covers_period=period.pk),
            },
            {
                "key": "handed_in",
                "label": _("已报"),
                "value": r["handed_in"],
                "url": links.reports(period=period.pk, handed_in="true"),
                "note": _("报送率 %(rate)s%%") % {"rate": r["rate"]}
                if r["rate"] is not None
                else "",
            },
            {
                "key": "on_time",
                "label": _("按时报送"),
                "value": r["on_time"],
                "url": links.reports(period=period.pk, handed_in="true", is_late="false"),
                "note": _("按时率 %(rate)s%%") % {"rate": r["on_time_rate"]}
                if r["on_time_rate"] is not None
                else "",
            },
            {
                "key": "missing",
                "label": _("未报"),
                "value": r["missing"],
                "url": links.assignments(owing_period=period.pk),
                "tone": "danger",
            },
        ]

    @staticmethod
    def ticket_cards(board, links):
        t = board.tickets

        def rate(value):
            return "" if value is None else f"{value}%"

        return [
            {"key": "raised", "label": _("提出诉求"), "value": t["raised"], "url": links.tickets()},
            {
                "key": "open",
                "label": _("在办"),
                "value": t["open"],
                "url": links.tickets(open="true"),
            },
            {
                "key": "yellow",
                "label": _("黄牌"),
                "value": t["yellow"],
                "url": links.tickets(colour=Colour.YELLOW),
                "tone": "warning",
            },
            {
                "key": "red",
                "label": _("红牌"),
                "value": t["red"],
                "url": links.tickets(colour=Colour.RED),
                "tone": "danger",
            },
            {
                "key": "closed",
                "label": _("已办结"),
                "value": t["closed"],
                "url": links.tickets(state=TicketState.CLOSED),
                "note": _("办结率 %(rate)s") % {"rate": rate(t["closed_rate"])}
                if t["closed_rate"] is not None
                else "",
            },
            {
                "key": "closed_on_time",
                "label": _("按时办结"),
                "value": t["closed_on_time"],
                "url": links.tickets(state=TicketState.CLOSED, answered_on_time="true"),
                "note": _("按时办结率 %(rate)s") % {"rate": rate(t["on_time_rate"])}
                if t["on_time_rate"] is not None
                else "",
            },
            {
                "key": "satisfied",
                "label": _("满意"),
                "value": t["satisfied"],
                "url": links.tickets(satisfaction=Satisfaction.SATISFIED),
            },
            {
                "key": "basic",
                "label": _("基本满意"),
                "value": t["basic"],
                "url": links.tickets(satisfaction=Satisfaction.BASIC),
            },
            {
                "key": "unsatisfied",
                "label": _("不满意"),
                "value": t["unsatisfied"],
                "url": links.tickets(satisfaction=Satisfaction.UNSATISFIED),
            },
            {
                "key": "rated",
                "label": _("已评价"),
                "value": t["rated"],
                "url": links.tickets(rated="true"),
                "note": _("满意率 %(rate)s") % {"rate": rate(t["satisfaction_rate"])}
                if t["satisfaction_rate"] is not None
                else "",
            },
        ]

    @staticmethod
    def report_trend(board, links):
        return [
            {
                **row,
                "label": row["period"].label,
                "owed_url": links.assignments(covers_period=row["period"].pk),
                "handed_url": links.reports(period=row["period"].pk, handed_in="true"),
                "on_time_url": links.reports(
                    period=row["period"].pk, handed_in="true", is_late="false"
                ),
            }
            for row in board.reports["trend"]
        ]

    @staticmethod
    def report_units(board, links):
        period = board.reports["period"]
        rows = []
        for row in board.reports["units"]:
            unit = {"unit": row["unit_id"]} if row["unit_id"] else {}
            rows.append(
                {
                    **row,
                    "owed_url": links.assignments(covers_period=period.pk, **unit),
                    "handed_url": links.reports(period=period.pk, handed_in="true", **unit),
                    "missing_url": links.assignments(owing_period=period.pk, **unit),
                }
            )
        return rows

    @staticmethod
    def breakdown(rows, key, choices, links):
        labels = dict(choices.choices)
        return [
            {
                **row,
                "label": labels.get(row[key], _("未定")) if row[key] else _("未定"),
                "raised_url": links.tickets(**{key: row[key]}) if row[key] else "",
                "red_url": links.tickets(**{key: row[key]}, colour=Colour.RED) if row[key] else "",
                "closed_url": links.tickets(**{key: row[key]}, state=TicketState.CLOSED)
                if row[key]
                else "",
            }
            for row in rows
        ]

    @staticmethod
    def departments(board, links):
        return [
            {
                **row,
                "assigned_url": links.tickets(
                    responsible_unit=row["responsible_unit_id"], assigned="true"
                ),
                "on_time_url": links.tickets(
                    responsible_unit=row["responsible_unit_id"],
                    assigned="true",
                    answered_on_time="true",
                ),
            }
            for row in board.tickets["departments"]
        ]

    @staticmethod
    def weekly(board, links):
        return [
            {
                **row,
                "raised_url": links.tickets(
                    created_from=row["monday"].isoformat(), created_to=row["sunday"].isoformat()
                ),
                "closed_url": links.tickets(
                    created_from=row["monday"].isoformat(),
                    created_to=row["sunday"].isoformat(),
                    state=TicketState.CLOSED,
                ),
            }
            for row in board.tickets["weekly"]
        ]

    @staticmethod
    def project_cards(board, links):
        p = board.projects
        return [
            {
                "key": "projects",
                "label": _("重点项目"),
                "value": p["count"],
                "url": links.projects(),
            },
            {
                "key": "project_green",
                "label": ProjectColour.GREEN.label,
                "value": p["colours"][ProjectColour.GREEN],
                "url": links.projects(colour=ProjectColour.GREEN),
            },
            {
                "key": "project_yellow",
                "label": ProjectColour.YELLOW.label,
                "value": p["colours"][ProjectColour.YELLOW],
                "url": links.projects(colour=ProjectColour.YELLOW),
                "tone": "warning",
            },
            {
                "key": "project_red",
                "label": ProjectColour.RED.label,
                "value": p["colours"][ProjectColour.RED],
                "url": links.projects(colour=ProjectColour.RED),
                "tone": "danger",
                "note": _("滞后节点 %(count)s 个") % {"count": p["late_milestones"]},
            },
        ]

    @staticmethod
    def project_stages(board, links):
        labels = dict(Stage.choices)
        return [
            {
                **row,
                "label": labels[row["stage"]],
                "total_url": links.projects(stage=row["stage"]),
                "cells": [
                    {
                        "value": row[colour],
                        "url": links.projects(stage=row["stage"], colour=colour),
                    }
                    for colour in ProjectColour.values
                ],
            }
            for row in board.projects["by_stage"]
        ]

    @staticmethod
    def project_groups(rows, key, links):
        """Per leader (包项领导) or per lead unit (牵头单位): projects, yellow and red ones with
        the project list's links; money is shown, not linked (a list counts projects)."""
        return [
            {
                **row,
                "projects_url": links.projects(**{key: row["id"]}),
                "yellow_url": links.projects(**{key: row["id"]}, colour=ProjectColour.YELLOW),
                "red_url": links.projects(**{key: row["id"]}, colour=ProjectColour.RED),
            }
            for row in rows
        ]

    @staticmethod
    def indicators(board):
        data = board.indicators
        totals = [{**row, "label": _label(row["key"])} for row in data["totals"]]
        return {
            **data,
            "totals": totals,
            "labels": [_label(key) for key in INDICATORS],
        }

    @staticmethod
    def charts(board):
        """The charts' data for static/js/dashboard.js (numbers as plain floats or null)."""

        def num(value):
            return None if value is None else float(value)

        tickets = board.tickets
        category_labels = dict(Category.choices)
        level_labels = dict(Level.choices)
        return {
            "reportTrend": {
                "labels": [row["period"].label for row in board.reports["trend"]],
                "series": [
                    {"name": _("报送率"), "data": [num(r["rate"]) for r in board.reports["trend"]]},
                    {
                        "name": _("按时率"),
                        "data": [num(r["on_time_rate"]) for r in board.reports["trend"]],
                    },
                ],
                "unit": "%",
            },
            "ticketWeekly": {
                "labels": [row["monday"].strftime("%m-%d") for row in tickets["weekly"]],
                "series": [
                    {"name": _("提出"), "data": [r["raised"] for r in tickets["weekly"]]},
                    {"name": _("已办结"), "data": [r["closed"] for r in tickets["weekly"]]},
                ],
                "kind": "bar",
            },
            "ticketCategory": {
                "pie": [
                    {
                        "name": str(category_labels.get(r["category"], r["category"])),
                        "value": r["raised"],
                    }
                    for r in tickets["by_category"]
                ]
            },
            "ticketLevel": {
                "pie": [
                    {
                        "name": str(
                            level_labels.get(r["level"], _("未定")) if r["level"] else _("未定")
                        ),
                        "value": r["raised"],
                    }
                    for r in tickets["by_level"]
                ]
            },
            "projectStages": {
                "labels": [
                    str(dict(Stage.choices)[r["stage"]]) for r in board.projects["by_stage"]
                ],
                "series": [
                    {
                        "name": str(colour.label),
                        "data": [r[colour] for r in board.projects["by_stage"]],
                    }
                    for colour in ProjectColour
                ],
                "kind": "bar",
            },
            "indicators": {
                "labels": [_label(key) for key in INDICATORS],
                "series": [
                    {
                        "name": _("累计增幅"),
                        "data": [num(r["growth"]) for r in board.indicators["totals"]],
                    },
                    {
                        "name": _("目标"),
                        "data": [num(board.indicators["targets"][key]) for key in INDICATORS],
                    },
                ],
                "kind": "bar",
                "unit": "%",
            },
        }
