"""Stage mappings HR starts from: a Greenhouse-like and a Lever-like ATS (docs/ats-sync.md).

A mapping is lines of text, `their stage -> our stage`, with a reason code after a colon for
rejected and withdrawn (`pipeline.reasons`). A line may name their stage and their reason
together, `Rejected/Lacking skill(s)`, which an event matches before the stage alone: the
payload's `reason` picks it. "other" takes the ATS's own words as the reason's text.
"""

from __future__ import annotations

GREENHOUSE = """\
Application Review -> screening
Preliminary Phone Screen -> screening
Phone Interview -> interviewing
Face to Face -> interviewing
Onsite Interview -> interviewing
Reference Check -> offer
Offer -> offer
Hired -> hired
Rejected -> rejected: other
Rejected/Lacking skill(s)/qualification(s) -> rejected: skills
Rejected/Another candidate hired -> rejected: closer_fit
Rejected/Position closed -> rejected: position_closed
Rejected/Compensation -> rejected: salary
Rejected/Candidate withdrew -> withdrawn: not_interested
Rejected/Took another offer -> withdrawn: other_offer
"""

LEVER = """\
New applicant -> submitted
Recruiter screen -> screening
Phone screen -> screening
On-site interview -> interviewing
Reference check -> offer
Offer -> offer
Archived/Hired -> hired
Archived -> rejected: other
Archived/Underqualified -> rejected: skills
Archived/Position filled -> rejected: position_closed
Archived/Timing -> rejected: other
Archived/Withdrew -> withdrawn: not_interested
Archived/Offer declined -> withdrawn: declined_offer
Archived/Unresponsive -> withdrawn: unreachable
"""

PRESETS: dict[str, str] = {"greenhouse": GREENHOUSE, "lever": LEVER}
