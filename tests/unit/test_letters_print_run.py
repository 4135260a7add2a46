"""Print runs: one PDF of many letters, each from a new page, and the mail house's manifest."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from letters.errors import PrintRunError
from letters.kinds import LETTER_KINDS
from letters.print_run import (
    MANIFEST_COLUMNS,
    PrintItem,
    PrintRun,
    build_print_run,
    chunk_for_print_runs,
)
from letters.render import LetterRenderer
from letters.samples import sample_confirmation_context, sample_context

RUN_ON = date(2026, 5, 7)
FIVE_KINDS = ("confirmation", "withdrawal_accepted", "confirmation", "withdrawal_too_late",
              "withdrawal_channel_not_accepted")


@pytest.fixture(scope="module")
def renderer() -> LetterRenderer:
    return LetterRenderer()


def item(renderer: LetterRenderer, *, letter_id: int, kind: str) -> PrintItem:
    context = sample_context(kind=kind, number=letter_id)
    return PrintItem(letter_id=letter_id, reference=context["reference"], kind=kind,
                     recipient_name=context["recipient_name"],
                     address_lines=tuple(context["address_lines"]),
                     html=renderer.render_html(kind=kind, context=context))


@pytest.fixture(scope="module")
def five(renderer: LetterRenderer) -> list[PrintItem]:
    return [item(renderer, letter_id=100 + n, kind=kind) for n, kind in enumerate(FIVE_KINDS)]


@pytest.fixture(scope="module")
def run(renderer: LetterRenderer, five: list[PrintItem]) -> PrintRun:
    return build_print_run(items=five, run_on=RUN_ON, sequence=3, renderer=renderer)


def manifest_rows(run: PrintRun) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run.manifest_csv), delimiter=";"))


def test_a_run_holds_every_page_of_every_letter(
        renderer: LetterRenderer, five: list[PrintItem], run: PrintRun) -> None:
    singles = [renderer.layout(html=i.html) for i in five]
    assert run.page_counts == tuple(len(document.pages) for document in singles)
    assert run.page_counts == (2, 1, 2, 1, 1)
    assert len(PdfReader(io.BytesIO(run.pdf)).pages) == sum(run.page_counts) == 7


def test_each_letter_starts_on_a_new_page_and_numbers_its_own_pages(run: PrintRun) -> None:
    reader = PdfReader(io.BytesIO(run.pdf))
    footers = [re.search(r"Pagina \d di \d", page.extract_text())[0] for page in reader.pages]
    assert footers == ["Pagina 1 di 2", "Pagina 2 di 2", "Pagina 1 di 1", "Pagina 1 di 2",
                       "Pagina 2 di 2", "Pagina 1 di 1", "Pagina 1 di 1"]
    first_pages = [reader.pages[int(row["first_page"]) - 1].extract_text()
                   for row in manifest_rows(run)]
    for text, row in zip(first_pages, manifest_rows(run), strict=True):
        assert row["reference"] in text


def test_the_manifest_has_one_row_per_letter_whose_pages_add_up(run: PrintRun) -> None:
    rows = manifest_rows(run)
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    assert len(rows) == 5
    assert [int(r["sequence"]) for r in rows] == [1, 2, 3, 4, 5]
    assert [int(r["letter_id"]) for r in rows] == [100, 101, 102, 103, 104]
    assert [r["kind"] for r in rows] == list(FIVE_KINDS)
    first_pages = [int(r["first_page"]) for r in rows]
    counts = [int(r["page_count"]) for r in rows]
    assert first_pages[0] == 1
    assert all(first_pages[n + 1] == first_pages[n] + counts[n] for n in range(4))
    assert first_pages[-1] + counts[-1] - 1 == 7
    assert {r["run_id"] for r in rows} == {"20260507-003"} == {run.run_id}


def test_the_manifest_keeps_names_and_addresses_verbatim(run: PrintRun) -> None:
    business = manifest_rows(run)[4]
    assert business["recipient"] == "D'Angelo & Figli <srl>"
    assert (business["address_1"], business["address_2"], business["address_3"]) == (
        "Viale Ceccarini 88", "47838 Riccione (RN)", "")
    assert run.manifest_csv.startswith("run_id;sequence;letter_id;")
    assert run.manifest_csv.endswith("\r\n")


def test_a_run_is_deterministic_and_dated_by_the_run(
        renderer: LetterRenderer, five: list[PrintItem], run: PrintRun) -> None:
    again = build_print_run(items=five, run_on=RUN_ON, sequence=3, renderer=renderer)
    assert again.sha256 == run.sha256 and again.pdf == run.pdf
    metadata = PdfReader(io.BytesIO(run.pdf)).metadata
    assert metadata["/CreationDate"] == "D:20260507"
    assert metadata["/Title"] == "Lotto di stampa 20260507-003"


@pytest.mark.parametrize(("change", "message"), [
    ({"address_lines": ()}, "1 to 4 lines"),
    ({"address_lines": ("a", "b", "c", "d", "e")}, "1 to 4 lines"),
    ({"letter_id": 100}, "appears twice"),
])
def test_unusable_items_are_refused(renderer: LetterRenderer, five: list[PrintItem],
                                    change: dict, message: str) -> None:
    items = [five[0], replace(five[1], **change)]
    with pytest.raises(PrintRunError, match=message):
        build_print_run(items=items, run_on=RUN_ON, sequence=1, renderer=renderer)


def test_an_empty_run_or_a_run_numbered_zero_is_refused(
        renderer: LetterRenderer, five: list[PrintItem]) -> None:
    with pytest.raises(PrintRunError):
        build_print_run(items=[], run_on=RUN_ON, sequence=1, renderer=renderer)
    with pytest.raises(PrintRunError):
        build_print_run(items=five, run_on=RUN_ON, sequence=0, renderer=renderer)


@pytest.mark.parametrize(("count", "sizes"), [
    (0, []), (1, [1]), (100, [100]), (101, [51, 50]), (250, [84, 83, 83]),
    (1000, [100] * 10), (1001, [91] * 11),
])
def test_a_day_is_split_into_even_runs_of_at_most_a_hundred(count: int, sizes: list[int]) -> None:
    items = [PrintItem(letter_id=n, reference=f"R{n}", kind="confirmation",
                       recipient_name="X", address_lines=("Via Roma 1",), html="")
             for n in range(count)]
    chunks = chunk_for_print_runs(items)
    assert [len(chunk) for chunk in chunks] == sizes
    assert [i for chunk in chunks for i in chunk] == items


def test_runs_of_another_size_and_a_size_below_one(five: list[PrintItem]) -> None:
    assert [len(c) for c in chunk_for_print_runs(five, size=2)] == [2, 2, 1]
    with pytest.raises(PrintRunError):
        chunk_for_print_runs(five, size=0)


def test_every_kind_can_go_in_a_run(renderer: LetterRenderer) -> None:
    items = [item(renderer, letter_id=n, kind=kind) for n, kind in enumerate(LETTER_KINDS)]
    run = build_print_run(items=items, run_on=RUN_ON, sequence=1, renderer=renderer)
    assert len(run.page_counts) == len(LETTER_KINDS)


def test_a_print_run_merged_from_the_letters_pdfs_keeps_their_pages_and_order():
    from pypdf import PdfReader

    from letters.print_run import merge_print_run

    renderer = LetterRenderer()
    contexts = [sample_confirmation_context(number=n) for n in (1, 2, 3)]
    rendered = [renderer.render(kind="confirmation", context=c) for c in contexts]
    items = [PrintItem(letter_id=n, reference=c["contract_number"], kind="confirmation",
                       recipient_name=c["recipient_name"], address_lines=tuple(c["address_lines"]), html="")
             for n, c in enumerate(contexts, start=1)]

    run = merge_print_run(items=items, pdfs=[r.pdf for r in rendered], run_on=date(2026, 4, 23), sequence=1)

    reader = PdfReader(io.BytesIO(run.pdf))
    assert len(reader.pages) == sum(r.page_count for r in rendered) == sum(run.page_counts)
    assert "HC-2026-000002" in reader.pages[run.page_counts[0]].extract_text()
    assert run.manifest_csv.count("\r\n") == 4
    again = merge_print_run(items=items, pdfs=[r.pdf for r in rendered], run_on=date(2026, 4, 23), sequence=1)
    assert again.sha256 == run.sha256
