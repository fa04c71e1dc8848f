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
def axe_findings(monkeypatch):
    """axe-core checks every page each journey loads, in every tab it opens; the test
    fails on any violation (tests/browser/axe.py). Pages of a context with JavaScript off
    are left out: axe is a script (the same pages are checked by the journeys with it)."""
    from playwright.sync_api import Browser, BrowserContext, Keyboard, Locator, Page

    from tests.browser import axe

    findings = axe.Findings()
    watcher = axe.Watcher(findings)
    new_context, new_page = Browser.new_context, BrowserContext.new_page

    without_scripts = []  # contexts with JavaScript off: axe (a script) cannot run there

    def watched_context(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        if kwargs.get("java_script_enabled") is False:
            without_scripts.append(context)
        else:
            watcher.watch(context)
        return context

    def watched_page(self, *args, **kwargs):
        page = new_page(self, *args, **kwargs)
        return page if self in without_scripts else watcher.track(page)

    monkeypatch.setattr(Browser, "new_context", watched_context)
    monkeypatch.setattr(BrowserContext, "new_page", watched_page)
    # The steps that may leave a page wait for its check first.
    for cls, names in (
        (Page, ("goto", "reload", "go_back", "close")),
        (Locator, ("click", "press", "check", "dblclick", "select_option")),
        (Keyboard, ("press",)),
    ):
        for name in names:
            monkeypatch.setattr(cls, name, watcher.before_step(getattr(cls, name)))
    yield findings
    watcher.finish()
    if watcher.pages and not findings.checked:
        pytest.fail("axe-core checked no page: is the watcher still wired in?", False)
    if findings.violations:
        pytest.fail("axe-core found accessibility violations:\n" + findings.report(), False)
