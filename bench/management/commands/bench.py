"""python manage.py bench --scale city|province  (make bench SCALE=province)

Builds a city or a province (bench.generate) in a PostgreSQL database of its own
(`bench_<scale>`, created next to DATABASE_URL's and dropped at the end), then measures:

1. the appraisal run for the whole programme (then published, as the cockpit shows it);
2. pages and API lists through the test client: median, p95 and SQL statements;
3. the dashboard's SQL floor (its statements run again straight on the connection);
4. the reminder scan for all cadres and the red-ticket escalation scan;
5. a burst of cadres submitting their reports to gunicorn (2 workers).

Prints a table and writes bench/results.json (`--output`). `--keep` leaves the database for
another run with `--reuse`, which skips the build (for profiling while fixing).
"""

import datetime
import json
import os
import platform
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Count
from django.test import Client, override_settings
from django.utils import timezone

from bench.burst import Gunicorn, run_burst
from bench.generate import DRAFTS, SCALES, Generator
from bench.measure import SESSION_STATEMENTS, counting, sql_floor, time_job, time_request
from bench.sweep import SLOW_MS, sweep, sweep_urls
from enterprises.models import Enterprise, EnterpriseSurvey, IndicatorReport
from notifications.models import Notification
from stationing.jobs import report_reminders
from stationing.models import (
    Assignment,
    Programme,
    ProgressReport,
    ProgressReportVersion,
    ReportItemProgress,
    ReportPeriod,
    WorkPlanItem,
)
from supervision.jobs import ticket_cards
from supervision.models import Ticket, TicketEvent
from supervision.services.appraisal import appraisal_publish, appraisal_run_create

ROOT = Path(__file__).resolve().parents[3]
DEEP_PAGE = 41  # as in the first measurements: about a thousand rows in
POST_MEASURED = 30
BURST = 200


def portal_client() -> Client:
    """A test client without Django's test environment: no template instrumentation (which
    copies every template context, a cost production does not pay), the host gunicorn is
    reached by."""
    return Client(HTTP_HOST="127.0.0.1")


class Command(BaseCommand):
    help = "Build a city or a province in a throwaway database and time the portal on it."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="city")
        parser.add_argument(
            "--repeat", type=int, default=30, help="requests per page after warm-up"
        )
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
        parser.add_argument("--keep", action="store_true", help="do not drop the database")
        parser.add_argument("--reuse", action="store_true", help="use a kept database as it is")
        parser.add_argument("--only", default="", help="comma-separated names of pages to time")
        parser.add_argument("--skip-burst", action="store_true")
        parser.add_argument(
            "--skip-sweep", action="store_true", help="do not open every page once (bench.sweep)"
        )

    def say(self, text=""):
        self.stdout.write(text)
        self.stdout.flush()

    # --- the throwaway database -----------------------------------------------------------

    def _admin(self):
        db = connection.settings_dict
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
        return psycopg.connect(
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )

    def _exists(self, name) -> bool:
        with self._admin() as admin:
            return (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                is not None
            )

    def _switch_to(self, name):
        connections.close_all()
        connection.settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name

    def _create(self, name):
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')

    def _drop(self, name):
        connections.close_all()
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # --- the run --------------------------------------------------------------------------

    def handle(
        self,
        *args,
        scale,
        repeat,
        warmup,
        output,
        keep,
        reuse,
        only,
        skip_burst,
        skip_sweep,
        **options,
    ):
        name = f"bench_{scale}"
        original = connection.settings_dict["NAME"]
        reuse = reuse and self._exists(name)
        results = {
            "scale": scale,
            "started_at": timezone.now().isoformat(timespec="seconds"),
        }
        if not reuse:
            self._create(name)
        self._switch_to(name)
        try:
            results["machine"] = self._machine()
            if not reuse:
                self.say(f"Building the {scale} in database {name} …")
                started = time.perf_counter()
                call_command("migrate", verbosity=0)
                Generator(SCALES[scale], say=self.say).run()
                results["build_seconds"] = round(time.perf_counter() - started, 1)
                self.say(f"  built in {results['build_seconds']} s")
            results["rows"] = self._row_counts()
            results.update(self._measure(repeat=repeat, warmup=warmup, only=only, fresh=not reuse))
            if not skip_burst and not only:
                results["burst"] = self._burst()
            if not skip_sweep and not only:
                results["sweep"] = self._sweep()
        finally:
            self._switch_to(original)
            if not keep:
                self._drop(name)
        self._print(results)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        self.say(f"Written to {output}")

    def _machine(self) -> dict:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": cpus,
            "postgresql": server,
            "memory_gib": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
            if Path("/proc/meminfo").exists()
            else None,
        }

    def _row_counts(self) -> dict:
        tables = {
            "enterprises": Enterprise,
            "cadres": Assignment,
            "reports": ProgressReport,
            "report_item_progress": ReportItemProgress,
            "plan_items": WorkPlanItem,
            "tickets": Ticket,
            "ticket_events": TicketEvent,
            "indicators": IndicatorReport,
            "surveys": EnterpriseSurvey,
            "notifications": Notification,
            "users": User,
        }
        counts = {}
        with connection.cursor() as cursor:
            for label, model in tables.items():
                cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608
                counts[label] = cursor.fetchone()[0]
        return counts

    def _measure(self, *, repeat, warmup, only, fresh) -> dict:
        programme = Programme.objects.get()
        office = User.objects.get(username="bench-office")
        leader = (
            User.objects.filter(username__startswith="bench-leader-").order_by("username").first()
        )
        cadre = User.objects.get(username=f"bench-cadre-{DRAFTS + 1:05d}")
        jobs = {}
        if fresh:
            self.say("Appraisal run for the whole programme …")
            holder = {}

            def appraise():
                holder["run"] = appraisal_run_create(
                    programme=programme, as_of=timezone.localdate(), by=office, reason=""
                )
                return holder["run"].cadre_count

            jobs["appraisal_run"] = time_job("appraisal", appraise)
            appraisal_publish(run=holder["run"], by=office)
            self.say(f"  {jobs['appraisal_run']}")

        twenty = (
            TicketEvent.objects.values("ticket")
            .order_by()
            .annotate(n=Count("id"))
            .filter(n=20)
            .order_by("ticket")
            .values_list("ticket", flat=True)
            .first()
        )
        current = ReportPeriod.objects.get(
            programme=programme, start__lte=timezone.localdate(), end__gte=timezone.localdate()
        )
        drafts = list(
            ProgressReport.objects.filter(period=current, state="draft")
            .select_related("assignment__cadre__user")
            .prefetch_related("item_progress")
            .order_by("assignment_id")
        )
        post_drafts, self.burst_drafts = (
            drafts[: warmup + repeat],
            drafts[warmup + repeat :][:BURST],
        )

        def submission(report) -> dict:
            form = {
                "action": "submit",
                "version": str(report.version),
                "work_done": "走访企业车间，协调解决用电增容问题。",
                "next_steps": "继续跟进贷款落实情况。",
                "days_on_site": "6",
                "behind_reason": "审批环节较多。",
                "remedy": "已约请主管部门现场办公。",
            }
            for row in report.item_progress.all():
                form[f"item-{row.item_id}-progress"] = str(max(row.progress, 50))
                form[f"item-{row.item_id}-status"] = "in_progress"
                form[f"item-{row.item_id}-note"] = ""
            return form

        self.submission = submission
        pages = {
            "dashboard": (leader, lambda i: ("GET", f"/dashboard/?programme={programme.pk}", None)),
            # The same page with its figures computed for each request (no 5-minute cache): the
            # time a leader waits once per scope and period, and the one the SQL floor compares.
            "dashboard_uncached": (
                leader,
                lambda i: ("GET", f"/dashboard/?programme={programme.pk}", None),
            ),
            "office_console": (office, lambda i: ("GET", "/", None)),
            "ticket_list": (office, lambda i: ("GET", "/tickets/", None)),
            "ticket_list_filtered": (
                office,
                lambda i: ("GET", "/tickets/?state=in_progress&category=utilities", None),
            ),
            "ticket_list_deep": (office, lambda i: ("GET", f"/tickets/?page={DEEP_PAGE}", None)),
            "ticket_detail_20_events": (office, lambda i: ("GET", f"/tickets/{twenty}/", None)),
            "report_matrix": (
                office,
                lambda i: ("GET", f"/programmes/{programme.pk}/reports/", None),
            ),
            "cadre_home": (cadre, lambda i: ("GET", "/", None)),
            "api_tickets": (office, lambda i: ("GET", "/api/v1/tickets/", None)),
            "api_tickets_filtered": (
                office,
                lambda i: ("GET", "/api/v1/tickets/?state=in_progress&category=utilities", None),
            ),
            "api_tickets_deep": (
                office,
                lambda i: ("GET", f"/api/v1/tickets/?page={DEEP_PAGE}", None),
            ),
            "api_reports": (office, lambda i: ("GET", "/api/v1/reports/", None)),
            "api_enterprises": (office, lambda i: ("GET", "/api/v1/enterprises/", None)),
        }
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        timings = {}
        for name, (user, request) in pages.items():
            if wanted and name not in wanted:
                continue
            client = portal_client()
            client.force_login(user)
            cache_seconds = 0 if name == "dashboard_uncached" else settings.DASHBOARD_CACHE_SECONDS
            with override_settings(DASHBOARD_CACHE_SECONDS=cache_seconds):
                timing = time_request(client, name, request, repeat=repeat, warmup=warmup)
            timings[name] = timing.as_dict()
            self.say(f"  {name:<26} {timings[name]}")
        if not wanted or "report_submit" in wanted:
            timings["report_submit"] = self._time_submissions(post_drafts, repeat, warmup)
            self.say(f"  {'report_submit':<26} {timings['report_submit']}")
        floor = None
        if "dashboard_uncached" in timings:
            floor = self._floor(leader, programme, repeat)
        result = {"pages": timings}
        if floor is not None:
            result["dashboard_floor"] = floor
        if not wanted:
            result["jobs"] = {**jobs, **self._scans(current)}
        return result

    def _time_submissions(self, drafts, repeat, warmup) -> dict:
        if len(drafts) < repeat + warmup:
            raise CommandError("Not enough open drafts left; rebuild the database (no --reuse).")
        forms = [
            (f"/reports/{report.pk}/edit/", self.submission(report), report) for report in drafts
        ]
        clients = []
        for _, _, report in forms:
            client = portal_client()
            client.force_login(report.assignment.cadre.user)
            clients.append(client)
        state = {"client": None}

        class Switching:
            """One signed-in client per cadre: time_request sees a single client."""

            def post(self, url, data):
                return state["client"].post(url, data)

            def get(self, url, data):
                return state["client"].get(url, data)

        def request(index):
            state["client"] = clients[index]
            url, form, _ = forms[index]
            return "POST", url, form

        timing = time_request(Switching(), "report_submit", request, repeat=repeat, warmup=warmup)
        stored = ProgressReport.objects.filter(
            pk__in=[report.pk for _, _, report in forms], state="submitted"
        ).count()
        if stored != len(forms):
            raise CommandError(f"report_submit: {stored} of {len(forms)} reports were stored")
        return timing.as_dict()

    def _floor(self, leader, programme, repeat) -> dict:
        client = portal_client()
        client.force_login(leader)
        with counting(record=True) as counter, override_settings(DASHBOARD_CACHE_SECONDS=0):
            client.get(f"/dashboard/?programme={programme.pk}")
        statements = [
            (sql, params)
            for sql, params in counter.statements
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))
            and not SESSION_STATEMENTS.search(sql)
        ]
        timing = sql_floor(statements, repeat=repeat)
        return timing.as_dict()

    def _scans(self, current) -> dict:
        reminder_at = current.due_at - datetime.timedelta(days=2)
        self.say("Reminder scan for all cadres, red-ticket escalation scan …")
        result = {
            "reminder_scan": time_job("reminders", lambda: report_reminders(reminder_at)),
            "escalation_scan": time_job("escalation", lambda: ticket_cards(timezone.now())),
        }
        self.say(f"  {result}")
        return result

    def _burst(self) -> dict:
        drafts = self.burst_drafts
        if len(drafts) < BURST:
            raise CommandError("Not enough open drafts for the burst; rebuild the database.")
        submitters = []
        for report in drafts:
            client = portal_client()
            client.force_login(report.assignment.cadre.user)
            form = self.submission(report)
            form.pop("version")
            submitters.append(
                {
                    "session": client.cookies["sessionid"].value,
                    "url": f"/reports/{report.pk}/edit/",
                    "form": form,
                }
            )
        self.say(f"Burst: {len(submitters)} cadres submitting to gunicorn (2 workers) …")
        before_versions = ProgressReportVersion.objects.count()
        with Gunicorn(workers=2) as server:
            figures = run_burst(server, submitters)
        ids = [report.pk for report in drafts]
        figures["reports_stored"] = ProgressReport.objects.filter(
            pk__in=ids, state="submitted"
        ).count()
        versions = ProgressReportVersion.objects.filter(report_id__in=ids).count()
        figures["duplicates"] = versions - figures["reports_stored"]
        figures["versions_written"] = ProgressReportVersion.objects.count() - before_versions
        self.say(f"  {figures}")
        return figures

    def _sweep(self) -> dict:
        from projects.models import KeyProject
        from supervision.models import AppraisalRun

        objects = {
            "programmes": Programme.objects.order_by("pk").values_list("pk", flat=True).first(),
            "assignments": Assignment.objects.order_by("pk").values_list("pk", flat=True).first(),
            "projects": KeyProject.objects.order_by("pk").values_list("pk", flat=True).first(),
            "tickets": Ticket.objects.order_by("pk").values_list("pk", flat=True).first(),
            "appraisals": AppraisalRun.objects.order_by("pk").values_list("pk", flat=True).first(),
        }
        urls = sweep_urls({kind: pk for kind, pk in objects.items() if pk is not None})
        found = {}
        for role, username in (("office", "bench-office"), ("leader", "bench-leader-0000")):
            self.say(f"Every page once as the {role} ({len(urls)} pages) …")
            client = portal_client()
            client.force_login(User.objects.get(username=username))
            found[role] = sweep(client, urls)
        return found

    def _print(self, results):
        self.say("")
        self.say(f"{'page / endpoint':<28}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        for name, row in results.get("pages", {}).items():
            self.say(f"{name:<28}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['queries']:>9}")
        floor = results.get("dashboard_floor")
        if floor and "dashboard_uncached" in results.get("pages", {}):
            uncached = results["pages"]["dashboard_uncached"]["p50_ms"]
            ratio = uncached / max(floor["p50_ms"], 0.001)
            results["dashboard_floor_ratio"] = round(ratio, 2)
            label = "dashboard SQL floor"
            self.say(f"{label:<28}{floor['p50_ms']:>9}{floor['p95_ms']:>9}{floor['queries']:>9}")
            self.say(f"dashboard (uncached) ÷ floor: {ratio:.2f}")
        for name, row in results.get("jobs", {}).items():
            self.say(f"{name:<28}{row['seconds']:>8}s{row['queries']:>18} queries")
        if "burst" in results:
            self.say(f"burst: {results['burst']}")
        for role, pages in results.get("sweep", {}).items():
            slow = {url: row for url, row in pages.items() if row["ms"] > SLOW_MS}
            self.say(f"sweep as the {role}: {len(pages)} pages, {len(slow)} over {SLOW_MS} ms")
            for url, row in sorted(slow.items(), key=lambda item: -item[1]["ms"]):
                self.say(f"  {url:<40}{row['ms']:>9} ms{row['queries']:>6} q{row['kb']:>7} KB")
