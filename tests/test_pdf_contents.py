"""Contents and indexes name the right pages, whether built in one layout pass (page references)
or, when a heading is not where it was announced, in as many passes as they need."""
import io
import re

import pdfplumber
import pytest
from reportlab.platypus import KeepTogether, PageBreak

from regionet.platform.pdf import document as pdf_document
from regionet.platform.pdf.catalogue import InstitutionIndex, para
from regionet.platform.pdf.document import Heading, build_pdf, table_of_contents


def story(nested: bool = False) -> list:
    flowables = [para("Okładka"), PageBreak(), table_of_contents(), PageBreak()]
    for number in range(1, 7):
        heading = Heading(f"Rozdział {number}", 1, index_term=f"Instytucja {'ABŁ'[number % 3]}")
        body = [para("Zażółć gęślą jaźń. " * (60 * number))]
        if nested and number == 3:   # not announced: the contents learn of it only while laying out
            flowables += [KeepTogether([heading, *body])]
        else:
            flowables += [heading, *body]
    return flowables + [PageBreak(), Heading("Indeks", 1), InstitutionIndex()]


def pages_of(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [" ".join(page.extract_text().split()) for page in document.pages]


def built(flowables: list, monkeypatch) -> tuple[list[str], list[int]]:
    passes = []
    original = pdf_document.PdfDocument.handle_documentBegin

    def counting(self):
        original(self)
        passes.append(self.pass_number)

    monkeypatch.setattr(pdf_document.PdfDocument, "handle_documentBegin", counting)
    rendered = build_pdf(flowables, title="Próba", author="Test", header="Próba", footer="Stopka")
    return pages_of(rendered.data), passes


def first_page_with(texts: list[str], phrase: str) -> int:
    return next(number for number, text in enumerate(texts, start=1) if phrase in text.split(" Strona ")[0]
                and number > 2)


@pytest.mark.parametrize("nested", [False, True], ids=["one pass", "fallback"])
def test_contents_and_index_name_the_pages_the_chapters_start_on(monkeypatch, nested):
    texts, passes = built(story(nested), monkeypatch)
    assert (passes == [1]) is not nested, passes
    contents = texts[1]
    for number in range(1, 7):
        found = re.search(rf"Rozdział {number}(?:\s*\.)*\s*(\d+)", contents)
        assert found, f"chapter {number} missing from the contents: {contents}"
        assert int(found.group(1)) == first_page_with(texts, f"Rozdział {number} "), number
    index = texts[-1]
    assert re.search(r"Instytucja A(?:\s*\.)*\s*(\d+)", index).group(1) == str(first_page_with(texts, "Rozdział 3 "))
    found = re.search(r"Rozdział 5(?:\s*\.)*\s*(\d+)", index)
    assert int(found.group(1)) == first_page_with(texts, "Rozdział 5 ")
