"""What keeps the dashboard quick without a stale number: a query is answered once per request
(the dashboard, its weak spots and a CSV ask the same numbers), again after any write or on a
new day; and the per-referrer table shows its first rows on the page, every row in its CSV."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from community.analytics import rollups
from community.analytics.queries import funnel as funnel_q
from community.analytics.scope import scope_for
from community.analytics.views import quality as quality_view
from community.core.time import utcnow
from community.extensions import db
from tests.analytics.conftest import Q3, Corpus, noon, refer
from tests.analytics.test_exports import rows_of
from tests.conftest import AuthActions

Q3_ARGS = "?period=custom&start=2026-07-01&end=2026-09-30"


def _statements() -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_query_is_answered_once_until_something_is_written(corpus: Corpus) -> None:
    scope = scope_for(corpus.hr, Q3)
    first = funnel_q.funnel(Q3, scope)
    seen = _statements()
    assert funnel_q.funnel(Q3, scope) is first
    assert seen == []  # asked again: no statement ran
    refer(corpus.emp4, corpus.fin_job, noon(8, 20))
    rollups.run(utcnow())
    db.session.commit()
    again = funnel_q.funnel(Q3, scope)
    assert again is not first and seen  # a write since: asked again


def test_the_page_shows_the_first_referrers_and_the_csv_all_of_them(
    client, auth: AuthActions, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quality_view, "PAGE_ROWS", 1)
    auth.login(corpus.hr)
    page = client.get(f"/analytics/{Q3_ARGS}").text
    csv = rows_of(client.get(f"/analytics/quality-referrers.csv{Q3_ARGS}").data)
    assert len(csv) == 1 + 4  # the header and every referrer of Q3
    assert 'data-testid="rows-cut-quality-referrers"' in page
    assert "The 1 with the most referrals are shown here; the CSV holds all 4." in page
    assert 'data-testid="rows-cut-quality-jobs"' in page  # two jobs, one shown
