"""Office zip containers (`core.uploads.check_office_zip`): zip bombs, macros, odd part names and
too many parts are refused from the central directory, and the one part that is inflated stops
at a cap whatever its header claims."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from community.core.uploads import (
    InflationLimit,
    UploadError,
    ZipLimits,
    check_office_zip,
    read_zip_part,
)
from tests.core.office_files import (
    DOCM_MAIN,
    DOCUMENT,
    DOCX_MAIN,
    WORD_TYPES,
    RawPart,
    deflated,
    deflated_zeros,
    docx,
    docx_with_zeros,
    named,
    raw_zip,
)

MAIN = "word/document.xml"


def refusal(content: bytes, **kwargs) -> str:
    with pytest.raises(UploadError) as caught:
        check_office_zip(content, MAIN, field="resume", **kwargs)
    assert caught.value.field == "resume"
    return caught.value.message


def test_a_real_docx_passes_and_other_files_are_simply_not_docx(app):
    assert check_office_zip(docx(), MAIN) is True
    assert check_office_zip(b"%PDF-1.4 ...", MAIN) is False
    assert check_office_zip(b"PK\x03\x04 broken", MAIN) is False
    with_other_main = io.BytesIO()
    with zipfile.ZipFile(with_other_main, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert check_office_zip(with_other_main.getvalue(), MAIN) is False


def test_a_tiny_file_that_declares_gigabytes_is_refused_without_inflating_it(app):
    bomb_stream = deflated_zeros(3 * 1024)  # really inflates to 3 GB
    content = raw_zip(
        named("[Content_Types].xml", deflated(WORD_TYPES.format(main=DOCX_MAIN))),
        named(MAIN, deflated(DOCUMENT)),
        RawPart("word/media/image1.png", bomb_stream, declared_size=3 * 1024**3),
    )
    assert len(content) < 4 * 1024 * 1024
    started = time.monotonic()
    message = refusal(content)
    assert "unpacks to far more data" in message
    assert time.monotonic() - started < 2  # read from the directory, nothing was inflated


def test_a_part_compressed_a_thousand_to_one_is_refused(app):
    content = docx_with_zeros(20)  # 20 MB of zeros: ~20 KB on disk, under the size limit
    assert len(content) < 100 * 1024
    assert "unpacks to far more data" in refusal(content)
    # Small repetitive XML parts compress well in real documents and stay accepted.
    assert check_office_zip(docx(("word/styles.xml", "<w:style/>" * 20000)), MAIN)


def test_the_whole_inflated_size_is_limited(app):
    limits = ZipLimits(max_inflated_bytes=1024 * 1024, max_ratio=10**6)
    assert "unpacks to far more data" in refusal(docx_with_zeros(2), limits=limits)


def test_a_header_that_understates_a_part_does_not_make_the_reader_inflate_it(app):
    """[Content_Types].xml claims 300 bytes but its stream inflates to 1 GB: reading stops at the
    claim (the CRC then fails: damaged) and memory stays small."""
    content = raw_zip(
        RawPart("[Content_Types].xml", deflated_zeros(1024), declared_size=300),
        named(MAIN, deflated(DOCUMENT)),
    )
    tracemalloc.start()
    try:
        message = refusal(content, limits=ZipLimits(max_ratio=10**6))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "damaged" in message
    assert peak < 8 * 1024 * 1024


def test_the_part_reader_stops_at_its_cap_whatever_the_header_says(app):
    honest = zipfile.ZipFile(io.BytesIO(docx_with_zeros(3, name="big.bin")))
    with pytest.raises(InflationLimit):
        read_zip_part(honest, honest.getinfo("big.bin"), cap=256 * 1024)
    assert len(read_zip_part(honest, honest.getinfo(MAIN), cap=256 * 1024)) == len(DOCUMENT)

    # A header that claims 3 MB for a stream of 1 GB.
    lying = zipfile.ZipFile(
        io.BytesIO(raw_zip(RawPart("big.bin", deflated_zeros(1024), declared_size=3 << 20)))
    )
    with pytest.raises(InflationLimit):  # past the cap: stops there
        read_zip_part(lying, lying.getinfo("big.bin"), cap=1 << 20)
    with pytest.raises(zipfile.BadZipFile):  # within the cap: stops at the claim, CRC fails
        read_zip_part(lying, lying.getinfo("big.bin"), cap=8 << 20)


@pytest.mark.parametrize(
    "content",
    [
        docx(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")),
        docx(("customXml/VBAPROJECT.BIN", b"macro")),
        docx(("word/vbaData.xml", "<wne:vbaSuppData/>")),
        docx(main_type=DOCM_MAIN),  # a .docm renamed to .docx
        docx(main_type="application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
    ],
    ids=["vbaProject", "vbaProject-elsewhere", "vbaData", "docm-type", "dotm-type"],
)
def test_macro_carrying_documents_are_refused(app, content):
    assert "contains macros" in refusal(content)


def test_too_many_parts_are_refused(app):
    many = docx(*[(f"word/media/p{i}.xml", "<x/>") for i in range(30)])
    assert "more than 20 parts" in refusal(many, limits=ZipLimits(max_entries=20))
    assert check_office_zip(many, MAIN, limits=ZipLimits(max_entries=40))
    assert "more than 1000 parts" in refusal(docx(*[(f"p/{i}", "") for i in range(1000)]))


@pytest.mark.parametrize(
    "name", ["../evil.xml", "word/../../evil.xml", "/etc/cron.d/x", "C:/evil.xml", "word\\evil.xml"]
)
def test_part_names_that_climb_out_are_refused(app, name):
    content = raw_zip(
        named("[Content_Types].xml", deflated(WORD_TYPES.format(main=DOCX_MAIN))),
        named(MAIN, deflated(DOCUMENT)),
        named(name, deflated("<x/>")),
    )
    assert "file names that are not allowed" in refusal(content)


def test_duplicate_part_names_and_encrypted_parts_are_refused(app):
    twice = raw_zip(
        named(MAIN, deflated(DOCUMENT)),
        named(MAIN, deflated("<other/>")),
    )
    assert "file names that are not allowed" in refusal(twice)
    locked = raw_zip(RawPart(MAIN, deflated(DOCUMENT).data, len(DOCUMENT), flags=0x1))
    assert "password-protected" in refusal(locked)
