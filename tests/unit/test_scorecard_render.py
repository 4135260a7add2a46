"""The agency scorecard as CSV and as a self-contained Italian HTML page with an SVG chart."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from agencies.scorecard import AgencyPeriodFigures, build_scorecard, period_bounds
from flows.scorecard_render import csv_columns, format_interval_it, format_percent_it, scorecard_csv, scorecard_html
from protocol.codes import AgencyStatus

START, END = period_bounds("2026-Q1")
HOSTILE = "Rossi <script>alert('x')</script> & Figli S.r.l."


def figures(code: str, **changes) -> AgencyPeriodFigures:
    base = dict(agency_code=code, agency_name=f"Agenzia {code}", contracts_by_channel={"phone": 60, "door_to_door": 40},
                audited=100, nonconforming_audited=2, nonconformities_by_type={"missing_documents": 1},
                withdrawals=3, disownments_received=2, disownments_accepted=1, penalties_eur=Decimal("1600.00"),
                corrective_actions_open=1, mandate_status=AgencyStatus.ACTIVE)
    return AgencyPeriodFigures(**(base | changes))


ROWS = build_scorecard(period_start=START, period_end=END, inputs=[
    figures("AG001"),
    figures("AG002", agency_name=HOSTILE, nonconforming_audited=0, penalties_eur=Decimal("0.05")),
    figures("AG003", audited=20, nonconforming_audited=3, mandate_status=AgencyStatus.REVOKED,
            penalties_eur=Decimal("12345.60")),
    figures("AG004", audited=0, nonconforming_audited=0),
])


def test_the_csv_has_one_flat_line_per_agency_with_channels_and_types_as_columns():
    lines = list(csv.DictReader(io.StringIO(scorecard_csv(ROWS))))
    assert tuple(lines[0]) == csv_columns()
    assert [line["agency_code"] for line in lines] == ["AG002", "AG001", "AG003", "AG004"]
    assert {"contracts_phone", "contracts_shop", "nonconformities_forged_contract", "wilson_high"} <= set(lines[0])
    first = lines[1]
    assert (first["period_start"], first["period_end"], first["contracts_phone"], first["contracts_web"]) == (
        "2026-01-01", "2026-04-01", "60", "0")
    assert (first["nonconformity_rate"], first["wilson_low"], first["wilson_high"]) == ("0.020000", "0.005501", "0.070012")
    assert (first["penalties_eur"], first["disownments_received_per_1000"], first["rank"]) == ("1600.00", "20.00", "2")
    assert (lines[2]["mandate_status"], lines[2]["penalties_eur"]) == ("revoked", "12345.60")
    assert lines[3]["rank"] == "" and lines[0]["agency_name"] == HOSTILE


def test_the_csv_of_no_agency_is_its_header():
    assert scorecard_csv(()) == ",".join(csv_columns()) + "\n"


def test_rates_and_the_wilson_interval_read_as_italian_percentages():
    assert format_percent_it(Decimal("0.012345")) == "1,2 %"
    assert format_interval_it(ROWS[1]) == "2,0 % (0,5–7,1 %)"
    assert format_interval_it(ROWS[3]) == "—"  # nothing audited: no rate to show


def test_the_page_has_the_italian_title_dates_and_amounts():
    page = scorecard_html(rows=ROWS, period="2026-Q1")
    assert "<title>Scheda di valutazione delle agenzie — 2026-Q1</title>" in page
    assert "dal 1 gennaio 2026 al 31 marzo 2026" in page
    assert "1.600,00 €" in page and "12.345,60 €" in page and "0,05 €" in page
    assert "2,0 % (0,5–7,1 %)" in page and "15,0 % (5,2–36,1 %)" in page
    assert "revocato" in page and "porta a porta" in page and "documenti mancanti o incompleti" in page


def test_the_page_escapes_agency_names():
    page = scorecard_html(rows=ROWS, period="2026-Q1")
    assert "<script" not in page
    assert "Rossi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Figli S.r.l." in page


def test_the_chart_is_inline_svg_with_one_bar_per_ranked_agency_in_rank_order():
    page = scorecard_html(rows=ROWS, period="2026-Q1")
    (svg,) = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
    bars = re.findall(r'<g class="bar">.*?</g>', svg, flags=re.DOTALL)
    assert len(bars) == 3  # AG004 has nothing audited: unranked, no bar
    assert [re.search(r"\d\. (AG\d+)", bar).group(1) for bar in bars] == ["AG002", "AG001", "AG003"]
    assert all(bar.count("<line") == 3 and bar.count("<rect") == 1 for bar in bars)  # error bar with two caps
    for forbidden in ("<script", "src=", "href=", "<link", "@import", "url("):
        assert forbidden not in page


def test_the_error_bars_span_the_wilson_interval_on_the_charts_scale():
    page = scorecard_html(rows=ROWS, period="2026-Q1")
    bar = re.findall(r'<g class="bar">.*?</g>', page, flags=re.DOTALL)[2]  # AG003: 3/20, interval to 36.0419 %
    left = Decimal(re.search(r'<rect x="([\d.]+)"', bar).group(1))
    width = Decimal(re.search(r'width="([\d.]+)"', bar).group(1))
    low, high = (Decimal(v) for v in re.search(r'<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"', bar).groups())
    scale = (high - left) / Decimal("0.360419")  # the axis ends at 50 %: the next round value above 36 %
    assert abs(width - scale * Decimal("0.15")) < 1 and abs(low - left - scale * Decimal("0.052368")) < 1
    assert ">50,0 %</text>" in page and ">60,0 %</text>" not in page


def test_a_period_without_agencies_still_makes_a_page():
    page = scorecard_html(rows=(), period="2026-03")
    assert "Scheda di valutazione delle agenzie — 2026-03" in page and "Nessuna agenzia" in page
    assert "<svg" not in page
