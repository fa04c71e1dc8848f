"""Browser journeys: a live server on 127.0.0.1 (random port) and Debian's Chromium."""

import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, not a downloaded build; no background calls to a network we lack.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def live_server(app):
    """The test app served for real, with CSRF on as in production; yields its base URL,
    which is also its SITE_URL (absolute links are built from it, never from the Host)."""
    site_url = app.config["SITE_URL"]
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SITE_URL"] = base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["WTF_CSRF_ENABLED"] = False
        app.config["SITE_URL"] = site_url


@pytest.fixture(autouse=True)
def axe_findings(request, monkeypatch):
    """axe-core checks every page each journey loads, in every tab it opens; the test
    fails on any violation (tests/browser/axe.py)."""
    from playwright.sync_api import BrowserContext

    from tests.browser import axe

    findings = axe.Findings()
    new_page = BrowserContext.new_page

    def watched_new_page(self, *args, **kwargs):
        page = new_page(self, *args, **kwargs)
        axe.watch(page, findings)
        return page

    monkeypatch.setattr(BrowserContext, "new_page", watched_new_page)
    yield findings
    if findings.violations:
        pytest.fail("axe-core found accessibility violations:\n" + findings.report(), False)
