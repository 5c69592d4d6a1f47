"""Events of the private network (人脉盘点): suggestions of one's own contacts for a job."""

from __future__ import annotations

from datetime import datetime

from community.events.bus import Event, _event


@_event("network-suggestions-found")
class NetworkSuggestionsFound(Event):
    """The worker matched the private networks against a job that opened
    (`network.suggestions.scan_opened_jobs`). `found`: (owner id, how many of their contacts may
    fit) for each person with at least one; never which contacts, so nothing private travels.
    Listeners: network (tell each owner "N of your contacts may fit <job>")."""

    job_id: int
    title: str
    title_en: str | None
    found: tuple[tuple[int, int], ...]
    at: datetime
