"""Letters rendered to HTML and PDF: content, escaping, fonts and byte-for-byte determinism."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from jinja2 import UndefinedError
from pypdf import PdfReader

from letters.errors import LetterContextIncomplete, UnknownCode, UnknownLetterKind
from letters.kinds import LETTER_KINDS
from letters.render import LetterRenderer, RenderedLetter
from letters.samples import sample_confirmation_context, sample_context
from letters.values import PriceLine


@pytest.fixture(scope="module")
def renderer() -> LetterRenderer:
    return LetterRenderer()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with ligatures undone and every run of white space made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def html_text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture(scope="module")
def domestic_confirmation(renderer: LetterRenderer) -> RenderedLetter:
    return renderer.render(kind="confirmation", context=sample_confirmation_context())


@pytest.fixture(scope="module")
def business_confirmation(renderer: LetterRenderer) -> RenderedLetter:
    return renderer.render(
        kind="confirmation",
        context=sample_confirmation_context(kind_of_customer="business", commodity="gas"),
    )


@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_every_kind_renders_its_sample_to_a_pdf(renderer: LetterRenderer, kind: str) -> None:
    letter = renderer.render(kind=kind, context=sample_context(kind=kind))
    assert letter.kind == kind
    assert letter.pdf.startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert len(PdfReader(io.BytesIO(letter.pdf)).pages) == letter.page_count >= 1
    text = pdf_text(letter.pdf)
    assert LETTER_KINDS[kind].subject_it in text
    assert "PR-2026-000123" in text and "Sentinella Energia S.p.A." in text


@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_every_kind_refuses_a_context_missing_keys(renderer: LetterRenderer, kind: str) -> None:
    context = sample_context(kind=kind)
    del context["letter_date"], context["supply_point"]
    with pytest.raises(LetterContextIncomplete) as raised:
        renderer.render_html(kind=kind, context=context)
    assert raised.value.missing == ("letter_date", "supply_point")


def test_an_unknown_kind_is_refused(renderer: LetterRenderer) -> None:
    with pytest.raises(UnknownLetterKind):
        renderer.render_html(kind="reminder", context=sample_confirmation_context())


def test_the_confirmation_pdf_states_the_contract_in_italian(
        domestic_confirmation: RenderedLetter) -> None:
    text = pdf_text(domestic_confirmation.pdf)
    for expected in (
        "Niccolò Dell'Acqua", "IT001E12345678", "Via Saragozza 12, 40123 Bologna (BO)",
        "Luce Sicura 12", "0,123456 €/kWh", "12,00 €/mese", "-30,00 €",
        "porta a porta", "Energia & Casa Agenzia S.r.l.", "AG-0153-027",
        "1 luglio 2026",                      # planned switch
        "entro il 10 giugno 2026",            # withdrawal deadline
        "22 aprile 2026", "Bologna, 23 aprile 2026",
        "Non ha richiesto questo contratto?", "800 153 153",
        "nonrichiesto@sentinella-energia.example", "PR-2026-000123",
        "Modulo di ripensamento", "Carta della responsabilità", "Pagina 1 di 2",
    ):
        assert expected in text, expected


def test_a_domestic_customer_is_told_every_way_to_withdraw(
        domestic_confirmation: RenderedLetter) -> None:
    text = pdf_text(domestic_confirmation.pdf)
    assert "raccomandata con ricevuta di ritorno" in text
    assert "Casella Postale 153" in text
    assert "lettera semplice" in text
    assert "fax al numero verde 800 153 155" in text
    assert "ripensamento@sentinella-energia.example" in text
    assert "solo se inviato con raccomandata" not in text


def test_a_business_customer_is_told_only_the_raccomandata(
        business_confirmation: RenderedLetter) -> None:
    text = pdf_text(business_confirmation.pdf)
    assert "raccomandata con ricevuta di ritorno" in text
    assert "solo se inviato con raccomandata" in text
    assert "lettera semplice" not in text
    assert "800 153 155" not in text
    assert "ripensamento@sentinella-energia.example" not in text
    assert "PDR" in text and "00881234567890" in text and "0,4875 €/Smc" in text
    assert "Spettabile D'Angelo & Figli <srl>," in text


def test_the_html_escapes_what_the_customer_data_holds(renderer: LetterRenderer) -> None:
    html = renderer.render_html(
        kind="confirmation",
        context=sample_confirmation_context(kind_of_customer="business")
        | {"offer_notes": '<script>alert("x")</script>'},
    )
    assert "D&#39;Angelo &amp; Figli &lt;srl&gt;" in html
    assert "<srl>" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_sale_without_agency_prints_no_agency_line(renderer: LetterRenderer) -> None:
    html = renderer.render_html(kind="confirmation",
                                context=sample_confirmation_context(with_agency=False))
    assert "Agenzia" not in html and "badge" not in html


def test_prices_may_be_mappings_and_a_unitless_line_is_an_amount(
        renderer: LetterRenderer) -> None:
    prices = [{"label": "Energia", "amount": Decimal("0.1"), "unit": "kWh"},
              {"label": "Contributo una tantum", "amount": Decimal("1234.5")}]
    html = renderer.render_html(kind="confirmation",
                                context=sample_confirmation_context() | {"prices": prices})
    assert "0,10 €/kWh" in html and "1.234,50 €" in html


def test_a_float_price_is_refused(renderer: LetterRenderer) -> None:
    prices = [{"label": "Energia", "amount": 0.1, "unit": "kWh"}]
    with pytest.raises(TypeError):
        renderer.render_html(kind="confirmation",
                             context=sample_confirmation_context() | {"prices": prices})
    with pytest.raises(TypeError):
        PriceLine(label="Energia", amount=0.1, unit="kWh")  # type: ignore[arg-type]


def test_an_unknown_sales_channel_is_refused(renderer: LetterRenderer) -> None:
    with pytest.raises(UnknownCode):
        renderer.render_html(kind="confirmation",
                             context=sample_confirmation_context(channel="fax"))


def test_a_template_reading_an_unknown_key_fails_loudly(tmp_path) -> None:
    (tmp_path / "confirmation.html.j2").write_text("{{ no_such_key }}", encoding="utf-8")
    with pytest.raises(UndefinedError):
        LetterRenderer(templates_dir=tmp_path).render_html(
            kind="confirmation", context=sample_confirmation_context())


def test_the_withdrawal_accepted_letter_says_the_switch_was_revoked(
        renderer: LetterRenderer) -> None:
    revoked = html_text(renderer.render_html(
        kind="withdrawal_accepted", context=sample_context(kind="withdrawal_accepted")))
    assert "il contratto è annullato, senza alcun costo" in revoked
    assert "abbiamo revocato la richiesta" in revoked
    not_requested = html_text(renderer.render_html(
        kind="withdrawal_accepted",
        context=sample_context(kind="withdrawal_accepted") | {"switch_was_requested": False}))
    assert "revocato" not in not_requested


def test_an_early_execution_withdrawal_returns_the_supply_and_bills_only_what_was_used(
        renderer: LetterRenderer) -> None:
    context = sample_context(kind="withdrawal_accepted", commodity="gas") | {
        "early_execution_return_date": date(2026, 8, 1), "previous_supplier": "Gas Vecchio SpA"}
    text = pdf_text(renderer.render(kind="withdrawal_accepted", context=context).pdf)
    assert "tornerà al Suo precedente fornitore, Gas Vecchio SpA, dal 1 agosto 2026" in text
    assert "soltanto il gas effettivamente fornito" in text
    assert "annullato, senza alcun costo" not in text


def test_a_late_withdrawal_offers_termination_or_disownment(renderer: LetterRenderer) -> None:
    text = html_text(renderer.render_html(
        kind="withdrawal_too_late", context=sample_context(kind="withdrawal_too_late")))
    assert "non possiamo accoglierla come ripensamento" in text
    assert "il recesso" in text and "il disconoscimento" in text
    assert "scaduto il 10 giugno 2026" in text
    assert "nonrichiesto@sentinella-energia.example" in text


def test_an_incomplete_withdrawal_lists_what_is_missing(renderer: LetterRenderer) -> None:
    context = sample_context(kind="withdrawal_incomplete") | {
        "missing_items": ("supply_point", "phone", "firma del cointestatario")}
    text = html_text(renderer.render_html(kind="withdrawal_incomplete", context=context))
    for item in ("codice POD o PDR del punto di fornitura", "recapito telefonico",
                 "firma del cointestatario", "entro il 10 giugno 2026"):
        assert item in text


def test_a_business_withdrawal_by_email_is_answered_with_the_raccomandata_address(
        renderer: LetterRenderer) -> None:
    text = html_text(renderer.render_html(
        kind="withdrawal_channel_not_accepted",
        context=sample_context(kind="withdrawal_channel_not_accepted")))
    assert "tramite e-mail" in text
    assert "solo se inviato con <strong>raccomandata con ricevuta di ritorno" in text
    assert "Casella Postale 153" in text


@pytest.mark.parametrize(("reason", "phrase"), [
    ("audit", "non Le è stato proposto in modo corretto"),
    ("disowned", "non è stato richiesto da Lei"),
])
def test_a_stopped_activation_says_why_and_costs_nothing(
        renderer: LetterRenderer, reason: str, phrase: str) -> None:
    context = sample_context(kind="activation_stopped") | {"reason": reason}
    text = html_text(renderer.render_html(kind="activation_stopped", context=context))
    assert phrase in text and "non Le sarà addebitato alcun costo" in text


def test_the_same_context_renders_the_same_pdf_bytes(renderer: LetterRenderer) -> None:
    first = renderer.render(kind="confirmation", context=sample_confirmation_context())
    second = LetterRenderer().render(kind="confirmation", context=sample_confirmation_context())
    assert first.sha256 == second.sha256
    assert first.pdf == second.pdf


def test_the_pdf_is_dated_by_the_letter_not_by_the_clock(
        domestic_confirmation: RenderedLetter) -> None:
    metadata = PdfReader(io.BytesIO(domestic_confirmation.pdf)).metadata
    assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:20260423"


def test_fonts_come_from_the_package_and_cover_italian_and_the_euro(
        renderer: LetterRenderer, caplog: pytest.LogCaptureFixture) -> None:
    context = sample_confirmation_context() | {
        "offer_notes": "Più già è però città: € 12 – «Perché sì»"}
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        document = renderer.layout(html=renderer.render_html(kind="confirmation",
                                                             context=context))
        pdf = renderer.engine.write(document)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert {font.family for font in document.fonts.values()} <= {
        "Sentinella Sans", "Sentinella Serif"}
    assert all(not font.missing for font in document.fonts.values())
    reader = PdfReader(io.BytesIO(pdf))
    base_fonts = {str(font.get_object()["/BaseFont"])
                  for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert base_fonts and all("+Sentinella-" in name for name in base_fonts)
    assert "Più già è però città: € 12" in pdf_text(pdf)


def test_a_character_no_shipped_font_has_is_reported(
        renderer: LetterRenderer, caplog: pytest.LogCaptureFixture) -> None:
    """The control for the test above: a missing glyph does produce a warning."""
    html = renderer.render_html(kind="confirmation",
                                context=sample_confirmation_context() | {"offer_notes": "\ue000"})
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        renderer.render_pdf(html=html)
    assert any(".notdef" in r.getMessage() for r in caplog.records)


def test_the_html_is_complete_bare_weasyprint_prints_the_same_bytes(
        domestic_confirmation: RenderedLetter) -> None:
    """The renderer's shortcuts (parsed stylesheet, fonts registered once) change nothing."""
    from weasyprint import HTML

    from letters.pdf_engine import PACKAGE_BASE_URL

    bare = HTML(string=domestic_confirmation.html, base_url=PACKAGE_BASE_URL).write_pdf()
    assert bare == domestic_confirmation.pdf


def test_a_letter_cannot_reach_outside_the_package(
        renderer: LetterRenderer, caplog: pytest.LogCaptureFixture) -> None:
    html = renderer.render_html(kind="confirmation", context=sample_confirmation_context())
    html = html.replace("</body>", '<img src="file:///etc/hostname"></body>')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        renderer.render_pdf(html=html)
    assert any("letters package" in r.getMessage() for r in caplog.records)
