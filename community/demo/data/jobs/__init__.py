"""The demo company's jobs, each with its full profile (岗位画像): requirements, skills,
competencies, soft traits, challenges and description. One module per side of the company, and
the English of every profile item in `profile_en`."""

from __future__ import annotations

from community.demo.data.jobs.business import BUSINESS_JOBS
from community.demo.data.jobs.profile_en import PROFILE_EN
from community.demo.data.jobs.technology import TECHNOLOGY_JOBS

# Each job: title, family, department, location, bonus (yuan), hard_to_fill, how many days ago it
# opened (for a draft: was written), status when not open ("draft", or "closed" once filled),
# education, years, skills, certificates, competencies, soft traits, challenges, description;
# each text also in English (`title_en` …), each list item's English in PROFILE_EN below.
JOBS: list[dict] = TECHNOLOGY_JOBS + BUSINESS_JOBS

__all__ = ["JOBS", "PROFILE_EN"]
