"""axe-core in the browser journeys: every page a journey loads is checked, in every tab,
and the test fails on any violation.

axe-core's JavaScript comes from the axe-playwright-python package (the dev extra), so no
network is needed. `watch(context)` adds it to every document the tabs of a browser
context load (an init script: the page's CSP does not apply to it); each document runs
axe on its own load event and keeps the result. Before the journey's next step that may
leave the page (a goto, a click, a key press) and when the test ends, the result is
collected: the step waits for axe to finish, so no page escapes unchecked.
`check(page, findings)` runs axe again now, after a script changed the page (suggestions
shown, a preview rendered).
"""

import json
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Error, Keyboard, Locator, Page

AXE = Axe()
# axe's default rules (WCAG 2.0–2.2 A and AA, best practices), and one it still calls
# experimental that audits of this portal reported: a control's name must contain its text.
OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}}
ON_LOAD = """
window.addEventListener("load", function () {
  if (window !== window.top || document.contentType !== "text/html") return;
  window.__axe = { done: false };
  axe.run(document, OPTIONS).then(function (results) {
    window.__axe = { done: true, violations: results.violations.map(function (v) {
      return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes };
    }) };
  }, function (error) { window.__axe = { done: true, error: String(error) }; });
});
""".replace("OPTIONS", json.dumps(OPTIONS))
COLLECT = """() => {
  const result = window.__axe;
  if (!result || !result.done || result.taken) return null;
  result.taken = true;
  return result;
}"""


@dataclass
class Findings:
    """The pages checked during one test and the violations found on them."""

    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join(self.violations)

    def add(self, url: str, violations: list[dict]) -> None:
        self.checked.append(url)
        self.violations.extend(describe(url, violation) for violation in violations)


def describe(url: str, violation: dict) -> str:
    targets = "; ".join(
        " ".join(map(str, node["target"])) if isinstance(node["target"], list) else node["target"]
        for node in violation["nodes"][:5]
    )
    return f"{url}: {violation['id']} ({violation['impact']}) {violation['help']} — {targets}"


def collect(page: Page, findings: Findings) -> None:
    """Wait for the axe run of the page's current document, and record its result."""
    try:
        if page.is_closed():
            return
        page.wait_for_function("() => !window.__axe || window.__axe.done", timeout=20_000)
        result = page.evaluate(COLLECT)
    except Error:
        return  # the page is navigating: the next document is checked on its own load
    if result is None:
        return
    if "error" in result:
        findings.violations.append(f"{page.url}: axe could not run: {result['error']}")
        return
    findings.add(page.url, result["violations"])


def check(page: Page, findings: Findings) -> None:
    """Run axe on the page as it is now (after its load check); record what it finds."""
    collect(page, findings)
    findings.add(page.url, AXE.run(page, options=OPTIONS).response["violations"])


class Watcher:
    """Runs axe in every tab of the contexts it watches; collects before each step that
    may leave the page."""

    def __init__(self, findings: Findings):
        self.findings = findings
        self.pages: list[Page] = []

    def watch(self, context: BrowserContext) -> None:
        context.add_init_script(AXE.axe_script + ON_LOAD)

    def track(self, page: Page) -> Page:
        self.pages.append(page)
        return page

    def page_of(self, target) -> Page | None:
        if isinstance(target, Page):
            return target
        if isinstance(target, Locator):
            return target.page
        if isinstance(target, Keyboard):
            return next((p for p in self.pages if p.keyboard is target), None)
        return None

    def before_step(self, method):
        """Wrap a Playwright method so the current page's result is collected first."""
        watcher = self

        def step(target, *args, **kwargs):
            page = watcher.page_of(target)
            if page is not None and page in watcher.pages:
                collect(page, watcher.findings)
            return method(target, *args, **kwargs)

        return step

    def finish(self) -> None:
        for page in self.pages:
            collect(page, self.findings)
