"""Playwright driving Debian's chromium against pytest-django's live server.

We use the system browser (`apt-get install chromium fonts-wqy-microhei`), not Playwright's
downloaded one: government build machines have no access to Playwright's CDN. Without chromium
the browser tests are skipped on a laptop but fail under CI=true, so CI cannot pass by skipping.

Every document a test's page loads is checked by axe-core (static/vendor/axe-core, from npm): the
test fails on a violation of impact serious or critical, printing the rule, its help and the
nodes (see `AxeAudit`).
"""

import os
import time
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE = Path(__file__).resolve().parent.parent.parent / "static/vendor/axe-core/axe.min.js"
# (rule, a piece of the URL) -> why that rule does not apply to those pages.
AXE_EXEMPT = {
    ("meta-refresh", "wall=1"): "the wall display is an unattended screen that refreshes itself",
}
# Runs in every top-level document once it has loaded: axe checks the page as the user got it
# and hands the serious and critical violations to the test through two exposed bindings.
AXE_RUNNER = """
(() => {
  if (window.top !== window || !window.axe || !window.__axeStarted) return;
  if (!location.protocol.startsWith("http")) return;
  const check = () => {
    const url = location.href;
    window.__axeStarted(url);
    window.axe
      .run(document, { resultTypes: ["violations"] })
      .then((result) =>
        result.violations
          .filter((v) => ["serious", "critical"].includes(v.impact))
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 8).map((n) => ({
              target: n.target.join(" "),
              html: n.html.slice(0, 240),
              summary: n.failureSummary || "",
            })),
          }))
      )
      .catch((error) => [{ id: "axe-error", impact: "", help: String(error), nodes: [] }])
      .then((violations) => window.__axeReport(url, violations));
  };
  if (document.readyState === "complete") check();
  else window.addEventListener("load", check, { once: true });
})();
"""


class AxeAudit:
    """What axe found in one browser context: pages whose check started, and violations.

    A test may navigate away before axe has finished with a page; at the end those pages are
    loaded once more (GET, same session) and checked then, so every page a test visited is
    checked, not a hand-picked list.
    """

    def __init__(self, context):
        self.context = context
        self.pending: list[tuple[object, str]] = []  # (page, url) of the checks running
        self.checked: list[str] = []
        self.unfinished: list[str] = []
        self.violations: list[tuple[str, dict]] = []
        context.expose_binding(
            "__axeStarted", lambda source, url: self.pending.append((source["page"], url))
        )
        context.expose_binding("__axeReport", lambda source, url, found: self.report(url, found))
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=AXE_RUNNER)

    def report(self, url, found):
        self.pending = [(page, u) for page, u in self.pending if u != url]
        self.checked.append(url)
        self.violations.extend((url, violation) for violation in found)

    def _wait(self, page, done, timeout):
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            page.wait_for_timeout(50)

    def finish(self, timeout=10.0):
        """Wait for the checks still running on the page they started on; load again the pages
        left before their check ended, and check them then."""
        for page, url in list(self.pending):
            if not page.is_closed() and page.url == url:
                self._wait(page, lambda url=url: url in self.checked, timeout)
        left = dict.fromkeys(url for _, url in self.pending if url not in self.checked)
        self.pending = []
        for url in left:
            page = self.context.new_page()
            page.goto(url)
            # The page may redirect now (a report since submitted): check where it lands.
            landed = page.url
            self._wait(page, lambda landed=landed: landed in self.checked, timeout)
            if landed not in self.checked:
                self.unfinished.append(landed)
            page.close()

    def failures(self) -> str:
        seen = set()
        lines = [f"{url}: axe did not finish checking it" for url in self.unfinished]
        for url, v in self.violations:
            if any(v["id"] == rule and part in url for rule, part in AXE_EXEMPT):
                continue
            key = (url.split("?")[0], v["id"], tuple(n["target"] for n in v["nodes"]))
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"{url}: [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"]:
                lines.append(f"    {node['target']}: {node['html']}\n      {node['summary']}")
        return "\n".join(lines)


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop in the test thread while it runs, and Django's
    ORM refuses to work in a thread with a running loop unless told the use is deliberate. Here
    it is: fixtures and database teardown run between Playwright calls, never in a coroutine.

    Module scope, so it covers pytest-django's database teardown after each test and ends with
    Playwright: every other test keeps Django's normal check.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def chromium(allow_orm_beside_playwright):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes", "on"):
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """new_page(viewport=...) -> a page in a fresh Chinese-language context (no shared cookies).

    Every page records JavaScript errors and failed requests in `page.problems`, so a test can
    assert that the page loaded cleanly (CSP violations and missing static files show up here).
    """
    contexts = []
    audits = []

    def make(viewport=DESKTOP):
        context = chromium.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        audits.append(AxeAudit(context))
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
        # A failed request also logs a console error without its URL; the response handler
        # below reports it with the URL instead (and leaves out the browser's favicon probe).
        page.on(
            "console",
            lambda message: (
                page.problems.append(f"console: {message.text}")
                if message.type == "error"
                and not message.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                page.problems.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400 and not response.url.endswith("/favicon.ico")
                else None
            ),
        )
        return page

    yield make
    try:
        for audit in audits:
            audit.finish()
        found = "\n".join(filter(None, (audit.failures() for audit in audits)))
    finally:
        for context in contexts:
            context.close()
    if found:
        pytest.fail(f"axe-core: serious or critical accessibility violations\n{found}")


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, username) goes through the real login form and lands on the home page."""

    def submit(page, username, password=PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return submit


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
