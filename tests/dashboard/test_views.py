"""Dashboard pages over HTTP: who sees them, periods and bad dates, cards, tables, CSV.

Most tests draw a hand-made Dashboard (``fake_metrics``) so each page rule is checked on
known numbers; the empty-database tests run the real metrics end to end.
"""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from dashboard.definitions import definition_keys
from dashboard.metrics import build_dashboard
from dashboard.results import ChartKind, Dashboard, Kpi, Period, Table, Unit
from portal.database import utcnow
from portal.permissions import Role
from tests.factories import make_user

WEEKS = ((date(2025, 1, 6), 4, 2, 1), (date(2025, 1, 13), 6, 3, 0))


def hand_made(period: Period) -> Dashboard:
    return Dashboard(
        period,
        period.previous(),
        kpis=(
            Kpi("questions_asked", "Questions asked", 1234, 1000, Unit.COUNT, "community"),
            Kpi("solved_pct", "Solved", 41.5, 41.5, Unit.PERCENT, "community"),
            Kpi(
                "median_first_reply_hours",
                "Median time to first reply",
                3.4,
                2.8,
                Unit.HOURS,
                "community",
                higher_is_better=False,
            ),
            Kpi("estimated_savings", "Estimated savings", 1234.4, None, Unit.MONEY, "deflection"),
            Kpi("nps", "NPS", None, 20, Unit.SCORE, "satisfaction"),
            Kpi("brand_new", "Brand-new number", 2, 3, Unit.COUNT, "experiments"),
        ),  # fmt: skip
        tables=(
            Table(
                "weekly_community",
                "Community by week",
                ("Week", "Questions", "Solved", "Escalated"),
                WEEKS,
                ChartKind.LINE,
                "community",
            ),
            Table(
                "questions_by_tag",
                "Questions by tag",
                ("Tag", "Questions"),
                (("Router", 8), ("<b>Billing</b>", 4)),
                ChartKind.BAR,
                "community",
            ),
            Table(
                "content_gaps",
                "Content gaps",
                ("Query", "Searches", "Average results"),
                (('=HYPERLINK("http://evil")', 3, 0.0), ("-2 dbm", 1, None), ("wifi", 2, 1.26)),
                section="kb",
                note="Searches that found nothing.",
            ),
        ),  # fmt: skip
        notes=("No holdout is configured: contact rates without suggestions are not measured.",),
    )


@pytest.fixture
def fake_metrics(monkeypatch):
    """The views draw hand_made(period); the periods asked for are recorded."""
    asked: list[Period] = []

    def build(period, *, now=None):
        asked.append(period)
        return hand_made(period)

    monkeypatch.setattr("dashboard.views.build_dashboard", build)
    return asked


@pytest.fixture
def people(db):
    for username, role in [
        ("ada", Role.ADMIN), ("sam", Role.AGENT), ("mona", Role.MODERATOR),
        ("kim", Role.CUSTOMER), ("sue", Role.SUPERUSER),
    ]:  # fmt: skip
        make_user(db.session, username, role=role)
    db.session.commit()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_agents_and_admins_see_it_in_the_menu_and_others_do_not(client, auth, people):
    for username, allowed in [("ada", True), ("sam", True), ("mona", False), ("kim", False)]:
        auth.login(username)
        assert ('href="/dashboard/">Dashboard</a>' in text_of(client.get("/"))) is allowed
        auth.logout()


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/definitions"])
def test_customers_and_moderators_are_refused_visitors_sent_to_sign_in(
    client, auth, people, fake_metrics, path
):
    assert client.get(path).status_code == 302
    for username in ("kim", "sue", "mona"):
        auth.login(username)
        assert client.get(path).status_code == 403
        assert client.get("/dashboard/export/questions_by_tag.csv").status_code == 403
        auth.logout()
    assert fake_metrics == []


def test_cards_show_values_by_unit_and_the_change_in_words(client, auth, people, fake_metrics):
    auth.login("sam")
    page = text_of(client.get("/dashboard/"))
    nbsp = "\u00a0"
    for shown in ["1,234", "41.5%", f"3.4{nbsp}h", "$1,234", "no data"]:
        assert f">{shown}</p>" in page
    # Higher is better for questions, worse for reply time: the words say so, not just colour.
    assert 'Up from 1,000 <span class="kpi-tone">· better</span>' in page
    assert "Up from 2.8" in page and "· worse</span>" in page
    assert "Same as the previous period (41.5%)" in page
    assert "Previous period: no data" in page and "Previous period: 20" in page
    assert 'class="kpi-change kpi-worse"' in page and 'class="kpi-change kpi-better"' in page


def test_cards_and_tables_link_to_their_definitions(client, auth, people, fake_metrics):
    auth.login("ada")
    page = text_of(client.get("/dashboard/"))
    linked = set(re.findall(r'href="/dashboard/definitions#([a-z_]+)"', page))
    assert linked == {
        "questions_asked", "solved_pct", "median_first_reply_hours", "estimated_savings", "nps",
        "weekly_community", "questions_by_tag", "content_gaps",
    }  # fmt: skip
    definitions = text_of(client.get("/dashboard/definitions"))
    for key in linked:
        assert f'<dt id="{key}">' in definitions
    # A number the definitions do not know yet still shows, under its own section.
    assert "Brand-new number" in page and '<h2 id="section-experiments">Experiments</h2>' in page


def test_sections_charts_tables_and_notes(client, auth, people, fake_metrics):
    auth.login("ada")
    page = text_of(client.get("/dashboard/?days=90"))
    headings = re.findall(r'<h2 id="section-[a-z]+">([^<]+)</h2>', page)
    assert headings == ["Community", "Deflection and savings", "Satisfaction", "Experiments",
                        "Knowledge base"]  # fmt: skip
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert 'aria-labelledby="chart-weekly_community-title chart-weekly_community-desc"' in page
    assert "&lt;b&gt;Billing&lt;/b&gt;" in page and "<b>Billing</b>" not in page
    # Each chart's numbers as a table with a caption and header cells.
    assert page.count('<details class="chart-numbers">') == 2
    assert page.count("<caption>") == 3
    assert '<th scope="col">Week</th>' in page
    assert '<th scope="row"><time datetime="2025-01-06">6 Jan 2025</time></th>' in page
    # A column of numbers is right-aligned, its "no data" cells and header too.
    assert '<td class="num">1.3</td>' in page and '<td class="num">—</td>' in page
    assert '<th scope="col" class="num">Average results</th>' in page
    assert '<th scope="row">=HYPERLINK(&#34;http://evil&#34;)</th>' in page
    assert "Searches that found nothing." in page
    assert "No holdout is configured" in page
    for key in ("weekly_community", "questions_by_tag", "content_gaps"):
        assert f'href="/dashboard/export/{key}.csv?days=90" download' in page


def test_presets_and_custom_dates_choose_the_period(client, auth, people, fake_metrics):
    auth.login("ada")
    page = text_of(client.get("/dashboard/?days=7"))
    tomorrow = utcnow().date() + timedelta(days=1)
    end = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC)
    assert fake_metrics[-1] == Period(end - timedelta(days=7), end)
    assert 'href="/dashboard/?days=7" aria-current="page"' in page
    page = text_of(client.get("/dashboard/?from=2025-01-06&to=2025-01-19"))
    assert fake_metrics[-1] == Period(
        datetime(2025, 1, 6, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC)
    )
    assert "aria-current" not in page.split('class="period-form"')[0].split("period-presets")[1]
    assert 'value="2025-01-06"' in page and 'value="2025-01-19"' in page
    assert (
        '<time datetime="2025-01-06">6 Jan 2025</time> – <time datetime="2025-01-19">'
        "19 Jan 2025</time>"
    ) in page
    assert '>23 Dec 2024</time> – <time datetime="2025-01-05">5 Jan 2025</time>' in page
    assert 'href="/dashboard/export/content_gaps.csv?from=2025-01-06&amp;to=2025-01-19"' in page
    client.get("/dashboard/")
    assert fake_metrics[-1].days == 30


@pytest.mark.parametrize(
    "query, message, kept",
    [
        (
            {"from": "2025-02-30", "to": "2025-03-10"},
            "Dates must be written YYYY-MM-DD, with both a start and an end date.",
            ['type="text" value="2025-02-30"', 'type="date" value="2025-03-10"'],
        ),
        (
            {"from": "first of may", "to": ""},
            "Dates must be written YYYY-MM-DD",
            ['type="text" value="first of may"'],
        ),
        (
            {"from": "2025-03-10", "to": "2025-03-01"},
            "The end date is before the start date.",
            ['value="2025-03-10"', 'value="2025-03-01" max='],
        ),
        (
            {"from": "2025-03-10", "to": "2999-01-01"},
            "The end date is in the future.",
            ['value="2999-01-01"'],
        ),
        ({"days": "13"}, "Choose 7, 30 or 90 days, or a custom range.", []),
    ],
)
def test_invalid_periods_show_the_message_in_the_form_and_keep_the_dates(
    client, auth, people, fake_metrics, query, message, kept
):
    auth.login("sam")
    response = client.get("/dashboard/", query_string=query)
    page = text_of(response)
    assert response.status_code == 422
    form = page.split('<form class="period-form"')[1].split("</form>")[0]
    assert 'role="alert" id="period-error"' in form and message in form
    for attribute in kept:
        assert attribute in form
    assert 'aria-invalid="true" aria-describedby="period-error"' in form or "days" in query
    assert fake_metrics == [] and "Traceback" not in page and "kpi-card" not in page


def test_csv_export_is_the_table_with_a_period_name_and_safe_cells(
    client, auth, people, fake_metrics
):
    auth.login("ada")
    response = client.get("/dashboard/export/content_gaps.csv?from=2025-01-06&to=2025-01-19")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="content_gaps_2025-01-06_to_2025-01-19.csv"'
    )
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["Query", "Searches", "Average results"],
        ['\'=HYPERLINK("http://evil")', "3", "0.0"],
        ["'-2 dbm", "1", ""],
        ["wifi", "2", "1.26"],
    ]
    weekly = client.get("/dashboard/export/weekly_community.csv?days=7").data.decode()
    assert "2025-01-06,4,2,1\r\n" in weekly


def test_unknown_table_is_404_and_bad_export_period_is_422(client, auth, people, fake_metrics):
    auth.login("ada")
    assert client.get("/dashboard/export/passwords.csv").status_code == 404
    response = client.get("/dashboard/export/content_gaps.csv?from=2025-13-01&to=2025-01-01")
    assert response.status_code == 422 and "Dates must be written" in text_of(response)


# The real metrics, on a database with nobody's activity in it.


def test_empty_database_renders_no_data_without_errors(client, auth, people):
    auth.login("ada")
    for query in ("", "?days=7", "?days=90", "?from=2020-01-01&to=2020-01-31"):
        response = client.get("/dashboard/" + query)
        assert response.status_code == 200
        page = text_of(response)
        assert "no data" in page and "No data for this period" in page
    january = Period(datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 2, 1, tzinfo=UTC))
    dashboard = build_dashboard(january)
    for table in dashboard.tables:
        export = client.get(f"/dashboard/export/{table.key}.csv?from=2020-01-01&to=2020-01-31")
        assert export.status_code == 200
        header = next(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
        assert tuple(header) == table.columns


def test_every_number_the_metrics_produce_has_a_definition(app):
    week = Period(datetime(2025, 1, 6, tzinfo=UTC), datetime(2025, 1, 13, tzinfo=UTC))
    with app.app_context():
        dashboard = build_dashboard(week)
    keys = [kpi.key for kpi in dashboard.kpis] + [table.key for table in dashboard.tables]
    assert keys and [key for key in keys if key not in definition_keys()] == []
