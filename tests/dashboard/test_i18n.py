"""The dashboard in French: numbers in French formats, the charts' accessible names, the
definitions, the CSV export's words; and the numbers themselves the same in every language.

The period of tests/dashboard/dataset (5–18 March 2025), seen by dan, an agent.
"""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from babel import Locale
from flask_babel import force_locale, refresh
from sqlalchemy import String, cast, literal, update

from dashboard import charts
from dashboard.formatting import format_cell, format_value
from dashboard.metrics import build_dashboard
from dashboard.results import Unit
from search.models import SearchQuery
from tests.dashboard.dataset import NOW, PERIOD, build
from tests.i18n.pseudo import pseudo_translations, untranslated_in_page
from tests.i18n.test_every_string import zq_content

NBSP, NNBSP = "\u00a0", "\u202f"  # no-break space; narrow no-break space (thousands)
FRENCH = {"Accept-Language": "fr"}
MARCH = "?from=2025-03-05&to=2025-03-18"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def french(app):
    with app.test_request_context(headers=FRENCH):
        yield


@pytest.mark.parametrize(
    "value, unit, shown",
    [
        (12.5, Unit.PERCENT, f"12,5{NBSP}%"),
        (100.0, Unit.PERCENT, f"100{NBSP}%"),
        (1234, Unit.COUNT, f"1{NNBSP}234"),
        (3.42, Unit.HOURS, f"3,4{NBSP}h"),
        (1234.4, Unit.MONEY, f"1{NNBSP}234{NBSP}$US"),
        (4.25, Unit.SCORE, "4,2"),
        (None, Unit.PERCENT, "aucune donnée"),
    ],
)
def test_numbers_read_the_french_way(french, value, unit, shown):
    assert format_value(value, unit) == shown


def test_money_is_in_the_currency_setting(app, french, monkeypatch):
    monkeypatch.setitem(app.config, "CURRENCY", "EUR")
    assert format_value(1234.4, Unit.MONEY) == f"1{NNBSP}234{NBSP}€"
    with force_locale("en"):
        assert format_value(-12.6, Unit.MONEY) == "-€13"


def test_days_and_axis_numbers_in_french(french):
    assert format_cell(date(2025, 1, 6)) == '<time datetime="2025-01-06">6 janv. 2025</time>'
    assert format_cell(2.5) == "2,5" and format_cell(True) == "oui"
    assert charts.axis_number(20000) == f"20{NBSP}k"


def test_charts_are_named_and_described_in_french(french):
    weeks = [date(2025, 3, 3) + timedelta(weeks=n) for n in range(3)]
    line = ET.fromstring(
        str(charts.line_chart("w", "Demandes par semaine", weeks, [("Ouvertes", [3, 1.5, 1])]))
    )
    assert line.find(f"{SVG}title").text == "Demandes par semaine"
    assert line.find(f"{SVG}desc").text == (
        "Graphique en courbes, 3 semaines, du 3 mars 2025 au 17 mars 2025. "
        f"Ouvertes{NBSP}: de 3 à 1, maximum 3."
    )
    assert "10 mars" in [text.text for text in line.iter(f"{SVG}text")]  # the week axis
    points = [circle.find(f"{SVG}title").text for circle in line.iter(f"{SVG}circle")]
    assert points[1] == f"10 mars 2025{NBSP}: Ouvertes 1,5"
    bars = ET.fromstring(str(charts.bar_chart("b", "Par étiquette", ["Wi-Fi", "Box"], [3, 2.5])))
    assert bars.find(f"{SVG}desc").text == (
        f"Graphique en barres, 2 barres. La plus longue{NBSP}: Wi-Fi, 3."
    )
    assert bars.find(f"{SVG}g/{SVG}title").text == f"Wi-Fi{NBSP}: 3"
    empty = ET.fromstring(str(charts.bar_chart("e", "Par étiquette", [], [])))
    assert empty.find(f"{SVG}desc").text == "Aucune donnée pour cette période."


@pytest.fixture
def signed_in_agent(client, auth, db):
    build(db.session)
    db.session.commit()
    auth.login("dan")
    return client


def shows_all(page: str, *fragments: str) -> None:
    missing = [fragment for fragment in fragments if fragment not in page]
    assert missing == []


def test_the_dashboard_in_french(signed_in_agent):
    page = signed_in_agent.get("/dashboard/" + MARCH, headers=FRENCH).get_data(as_text=True)
    shows_all(
        page,
        '<html lang="fr"',
        "<h1>Tableau de bord du support</h1>",
        # Period, sections, cards: labels, French numbers, the change in words.
        '<time datetime="2025-03-05">5 mars 2025</time>',
        "les flèches comparent avec les 14 jours précédents",
        '<h2 id="section-cases">Demandes et SLA</h2>',
        ">Questions posées</a></h3>",
        f">75{NBSP}%</p>",
        f">44,5{NBSP}h</p>",  # the median resolution time
        f"En hausse par rapport à 66,7{NBSP}%",  # answered: 2 of 3 before
        '<span class="kpi-tone">· mieux</span>',
        '<span class="kpi-tone">· moins bien</span>',
        f"Période précédente{NBSP}: aucune donnée",
        # Tables: titles, columns, rows of the dashboard's own words, French notes.
        '<th scope="col">Semaine</th><th scope="col" class="num">Ouvertes</th>',
        '<th scope="row"><time datetime="2025-03-10">10 mars 2025</time></th>',
        '<th scope="row">Discussion résolue par la communauté</th>',
        '<th scope="row">Sans agent</th>',
        "Les semaines commencent le lundi (UTC).",
        f'aria-label="Télécharger le CSV de «{NBSP}Demandes par semaine{NBSP}»"',
        f'aria-label="Afficher les chiffres de «{NBSP}Demandes par semaine{NBSP}»"',
        'placeholder="AAAA-MM-JJ"',
        ">7 derniers jours</a>",
    )


def test_the_charts_accessible_names_on_the_french_page(signed_in_agent):
    page = signed_in_agent.get("/dashboard/" + MARCH, headers=FRENCH).get_data(as_text=True)
    start = page.index("<svg", page.index('id="table-weekly_cases"'))
    chart = ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])
    assert chart.find(f"{SVG}title").text == "Demandes par semaine"
    assert chart.find(f"{SVG}desc").text == (
        "Graphique en courbes, 3 semaines, du 3 mars 2025 au 17 mars 2025. "
        f"Ouvertes{NBSP}: de 3 à 1, maximum 3. Résolues{NBSP}: de 3 à 0, maximum 3. "
        f"Hors SLA{NBSP}: de 1 à 0, maximum 1."
    )
    legend = [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend == ["Ouvertes", "Résolues", "Hors SLA"]


def test_the_definitions_page_in_french(signed_in_agent):
    page = signed_in_agent.get("/dashboard/definitions", headers=FRENCH).get_data(as_text=True)
    shows_all(
        page,
        "<h1>Ce que signifient les chiffres du tableau de bord</h1>",
        '<h2 id="group-kb">Base de connaissances</h2>',
        '<dt id="nps">Net Promoter Score (NPS)</dt>',
        '<dt id="deflection_rate_pct">Taux de déflexion</dt>',
        "Parmi les demandes ouvertes pendant la période, la part pour laquelle",
        f"font 100{NBSP}% au total.",
        f"<strong>Ne compte pas{NBSP}:</strong>",
    )


def test_a_bad_period_is_explained_in_french(signed_in_agent):
    response = signed_in_agent.get("/dashboard/?from=2025-03-10&to=2025-03-01", headers=FRENCH)
    assert response.status_code == 422
    assert "La date de fin précède la date de début." in response.get_data(as_text=True)


def test_the_csv_export_speaks_french_and_keeps_machine_numbers(signed_in_agent):
    def rows(key):
        response = signed_in_agent.get(f"/dashboard/export/{key}.csv" + MARCH, headers=FRENCH)
        assert response.headers["Content-Disposition"].endswith(
            f'filename="{key}_2025-03-05_to_2025-03-18.csv"'
        )
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))

    weekly = rows("weekly_cases")
    assert weekly[0] == ["Semaine", "Ouvertes", "Résolues", "Hors SLA"]
    assert weekly[1] == ["2025-03-03", "3", "3", "1"]
    satisfaction = rows("satisfaction_by_channel")
    assert satisfaction[0][0] == "Résolu par" and satisfaction[0][2] == "CSAT satisfaits (%)"
    assert satisfaction[1] == ["Discussion résolue par la communauté", "1", "100.0", "4.0", "100.0"]
    assert rows("cases_by_agent_open")[-1] == ["Sans agent", "1"]


def test_the_numbers_are_the_same_in_every_language(app, db):
    build(db.session)

    def numbers(language):
        with app.test_request_context(headers={"Accept-Language": language}):
            refresh()  # the db fixture's app context remembers the language it last chose
            board = build_dashboard(PERIOD, now=NOW)
        kpis = [(k.key, k.value, k.previous, k.unit) for k in board.kpis]
        tables = [
            (t.key, [[cell for cell in row if not isinstance(cell, str)] for row in t.rows])
            for t in board.tables
        ]
        return kpis, tables, [k.label for k in board.kpis]

    english, french = numbers("en"), numbers("fr")
    assert english[:2] == french[:2]
    assert english[2] != french[2]  # only the words differ


def test_every_word_on_the_dashboard_with_data_comes_from_its_catalog(signed_in_agent, db):
    """The walk of tests/i18n sees the dashboard of an empty January; this one has charts
    and tables full of data, the people's words made up (zq…), in the pseudo-language."""
    zq_content(db.session)
    searched = literal("zqsearch") + cast(SearchQuery.results_count, String)
    db.session.execute(update(SearchQuery).values(text=searched))
    db.session.commit()
    signed_in_agent.get("/dashboard/definitions")  # the sign-in's message, the layout's
    found = []
    with pseudo_translations():
        for url in ("/dashboard/" + MARCH, "/dashboard/definitions", "/dashboard/?days=8"):
            body = signed_in_agent.get(url).get_data(as_text=True)
            main = body[body.index("<main") : body.index("</main>")]
            found += untranslated_in_page(main, "text/html")
        for table in build_dashboard(PERIOD, now=NOW).tables:
            export = signed_in_agent.get(f"/dashboard/export/{table.key}.csv" + MARCH)
            found += untranslated_in_page(export.get_data(as_text=True), "text/csv")
    # Babel's month abbreviations label the charts' week axis: the locale's, not a string.
    months = set(Locale.parse("en").months["format"]["abbreviated"].values())
    assert [line for line in found if set(line.rsplit(" (", 1)[1][:-1].split(", ")) - months] == []
