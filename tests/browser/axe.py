"""axe-core in the browser journeys: every page a journey loads is checked, and a test
fails on any violation.

axe-core's JavaScript comes from the axe-playwright-python package (the dev extra), so no
network is needed. `watch(page)` runs axe after each page load; `check(page)` runs it now
(after a script changed the page: a preview shown, a help opened).
"""

from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error, Page

AXE = Axe()
# axe's default rules (WCAG 2.0–2.2 A and AA, best practices), and one it still calls
# experimental that audits of this portal reported: a control's name must contain its text.
RULES = {"rules": {"label-content-name-mismatch": {"enabled": True}}}


@dataclass
class Findings:
    """The violations found on the pages of one test, by page address."""

    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join(self.violations)


def describe(url: str, violation: dict) -> str:
    targets = "; ".join(
        " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
        for node in violation["nodes"][:5]
    )
    return f"{url}: {violation['id']} ({violation['impact']}) {violation['help']} — {targets}"


def check(page: Page, findings: Findings) -> None:
    """Run axe on the page as it is now; record what it finds."""
    try:
        if page.is_closed() or page.evaluate("document.contentType") != "text/html":
            return
        results = AXE.run(page, options={**RULES, "resultTypes": ["violations"]})
    except Error:
        return  # the page navigated or closed while axe ran: its next load is checked
    findings.checked.append(page.url)
    for violation in results.response["violations"]:
        findings.violations.append(describe(page.url, violation))


def watch(page: Page, findings: Findings) -> None:
    """Check every page this tab loads, as soon as it has loaded."""
    page.on("load", lambda loaded: check(loaded, findings))
