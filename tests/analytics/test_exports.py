"""CSV downloads: UTF-8 with a BOM, formulas neutralised, the header in the reader's language,
the period in the file name, and the same scope as the page."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

import pytest

from community.analytics.charts import Table
from community.analytics.exports import csv_cell, filename, neutralised, table_csv
from community.core.money import Money
from tests.analytics.conftest import Corpus
from tests.conftest import AuthActions

Q3 = "?period=custom&start=2026-07-01&end=2026-09-30"


def rows_of(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_that_could_run_as_a_formula_is_neutralised(start: str) -> None:
    assert neutralised(f'{start}HYPERLINK("http://evil")').startswith("'")
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"


def test_numbers_stay_numbers_and_plain_text_stays_plain() -> None:
    assert csv_cell(-3) == "-3"
    assert csv_cell(Fraction(7, 20)) == "35.0%"
    assert csv_cell(Money(800050, "CNY")) == "8000.50"
    assert csv_cell(None) == ""
    assert csv_cell("Finance") == "Finance"
    assert csv_cell("<5") == "<5"


def test_the_file_has_a_bom_a_header_and_crlf_rows() -> None:
    table = Table("funnel", "c", ("Step", "Count"), (("=cmd|' /C calc'!A0", 3),))
    text = table_csv(table)
    assert text.startswith("\ufeffStep,Count\r\n")
    assert "'=cmd|' /C calc'!A0" in text


def test_the_file_name_carries_the_table_and_the_period() -> None:
    assert (
        filename("funnel", "2026-07-01_2026-09-30") == "analytics-funnel-2026-07-01_2026-09-30.csv"
    )
    assert filename('x"; rm -rf', "p") == "analytics-x-rm--rf-p.csv"


def test_hr_downloads_the_funnel_with_the_same_numbers_as_the_page(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    auth.login(corpus.hr)
    response = client.get(f"/analytics/funnel.csv{Q3}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="analytics-funnel-2026-07-01_2026-09-30.csv"'
    )
    assert "no-store" in response.headers["Cache-Control"]
    rows = rows_of(response.data)
    assert rows[0][:2] == ["Step", "This period"]
    assert rows[1][:2] == ["Submitted", "5"]


def test_the_header_is_in_chinese_for_a_chinese_reader(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    from community.extensions import db

    corpus.hr.locale = "zh_CN"  # the person's saved language
    db.session.commit()
    auth.login(corpus.hr)
    rows = rows_of(client.get(f"/analytics/funnel.csv{Q3}").data)
    assert rows[0][:2] == ["环节", "本周期"]
    assert rows[1][0] == "已提交"


def test_a_department_named_like_a_formula_is_neutralised(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    from community.extensions import db

    corpus.fin.name = '=HYPERLINK("http://evil.example","Finance")'
    db.session.commit()
    auth.login(corpus.hr)
    rows = rows_of(client.get(f"/analytics/participation.csv{Q3}").data)
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","Finance")' in names
    assert not any(name.startswith("=") for name in names)


def test_a_managers_file_holds_their_department_only(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    auth.login(corpus.manager)
    rows = rows_of(client.get(f"/analytics/participation.csv{Q3}").data)
    assert [row[0] for row in rows[1:]] == ["Engineering", "The whole company"]
    funnel = rows_of(client.get(f"/analytics/funnel.csv{Q3}").data)
    assert funnel[1][:2] == ["Submitted", "3"]
    assert client.get(f"/analytics/quality-referrers.csv{Q3}").status_code == 403
    assert client.get(f"/analytics/funnel-departments.csv{Q3}").status_code == 404


def test_an_employees_file_holds_their_own_referrals(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    auth.login(corpus.emp1)
    funnel = rows_of(client.get(f"/analytics/funnel.csv{Q3}").data)
    assert funnel[1][:2] == ["Submitted", "2"]
    assert client.get(f"/analytics/participation.csv{Q3}").status_code == 403
    assert client.get(f"/analytics/quality-jobs.csv{Q3}").status_code == 403


def test_hr_sees_small_numbers_suppressed_in_quality(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    auth.login(corpus.hr)
    rows = rows_of(client.get(f"/analytics/quality-referrers.csv{Q3}").data)
    emma = next(row for row in rows if row[0] == "Emma One")
    assert emma[1:4] == ["<5", "<5", "<5"]
    assert emma[4:] == ["", ""]  # rates over fewer than five referrals are not shown


def test_an_unknown_table_is_not_found(client, auth: AuthActions, corpus: Corpus) -> None:
    auth.login(corpus.hr)
    assert client.get(f"/analytics/nothing.csv{Q3}").status_code == 404
    assert client.get(f"/analytics/funnel-nothing.csv{Q3}").status_code == 404
    assert client.get("/analytics/funnel.csv?period=custom&start=x").status_code == 400
