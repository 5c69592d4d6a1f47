"""Which contacts may fit a job: each tag of a contact is compared with the parts of the job's
profile its kind speaks to, and every fit is a reason the person reads.

- a skill tag: the job's skills, certificates and core competencies;
- an industry tag: the job family, its skills (e.g. "Industry contacts in FMCG"), the title and
  the description;
- a career wish: the title, the job family and the competencies.

Both sides are folded (NFKC, case) and every item is compared in both of the job's languages.
A tag fits an item when it is the item, or a whole word of it (Latin letters: "Go" fits "Go
microservices", not "Google"; "Java" not "JavaScript"), or, in Chinese, part of it ("支付" fits
"支付系统"). A skill weighs 2, the other kinds 1; the most fitting contacts come first, the
closest among equals. Matching reads only the owner's own contacts (or, on the worker, counts
per owner without saying which)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from community.core.localized import choose, language_of, localized_list
from community.jobs.models import Job, JobFamily
from community.network.models import Closeness, NetworkContact, TagKind
from community.network.rules import fold

# Words that name a job family, in both languages (an industry tag or a wish may use them).
FAMILY_WORDS: dict[JobFamily, tuple[str, ...]] = {
    JobFamily.ENGINEERING: ("engineering", "engineer", "software", "技术", "研发", "工程", "开发"),
    JobFamily.PRODUCT: ("product", "product management", "产品"),
    JobFamily.DESIGN: ("design", "designer", "ux", "设计"),
    JobFamily.MARKETING: ("marketing", "brand", "市场", "营销", "品牌"),
    JobFamily.SALES: ("sales", "business development", "销售", "商务"),
    JobFamily.OPERATIONS: ("operations", "ops", "运营"),
    JobFamily.FINANCE: ("finance", "accounting", "财务", "金融", "会计"),
    JobFamily.PEOPLE: ("hr", "people", "recruiting", "人力", "人事", "招聘"),
    JobFamily.OTHER: (),
}
WEIGHT = {TagKind.SKILL: 2, TagKind.INDUSTRY: 1, TagKind.WISH: 1}
KIND_ORDER = {TagKind.SKILL: 0, TagKind.INDUSTRY: 1, TagKind.WISH: 2}
CLOSENESS_ORDER = {Closeness.CLOSE: 0, Closeness.ORDINARY: 1, Closeness.ACQUAINTANCE: 2}
# Which parts of the profile each kind of tag is compared with.
PARTS: dict[TagKind, tuple[str, ...]] = {
    TagKind.SKILL: ("skills", "certificates", "competencies"),
    TagKind.INDUSTRY: ("family", "skills", "title", "description"),
    TagKind.WISH: ("title", "family", "competencies"),
}
_MARKDOWN = re.compile(r"[*_#`>\[\]()!~|-]+")


@dataclass(frozen=True)
class Item:
    """One item of a job's profile: its folded forms (both languages) and how it is shown."""

    part: str
    keys: tuple[str, ...]
    shown: str


@dataclass(frozen=True)
class Reason:
    """Why a contact may fit: their tag (kind, label) fits this item of the job."""

    kind: TagKind
    tag: str
    part: str
    item: str


@dataclass
class Suggestion:
    contact: NetworkContact
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(WEIGHT[reason.kind] for reason in self.reasons)


def _lists(job: Job, name: str, reader: str | None) -> list[Item]:
    base = list(getattr(job, name) or [])
    english = list(getattr(job, f"{name}_en") or []) + [""] * len(base)
    shown = localized_list(job, name, reader)
    return [
        Item(name, tuple(fold(k) for k in (b, e) if k), s.text)
        for b, e, s in zip(base, english, shown, strict=False)
    ]


def job_items(job: Job, reader: str | None = None) -> dict[str, list[Item]]:
    """The job's profile as items per part, shown in the reader's language."""
    title = choose(job.title, job.title_en, reader).text
    description = " ".join(
        _MARKDOWN.sub(" ", f"{job.description or ''} {job.description_en or ''}").split()
    )
    return {
        "skills": _lists(job, "skills", reader),
        "certificates": _lists(job, "certificates", reader),
        "competencies": _lists(job, "competencies", reader),
        "family": [
            Item("family", (fold(word),), word) for word in FAMILY_WORDS.get(job.family, ())
        ],
        "title": [Item("title", tuple(fold(t) for t in (job.title, job.title_en) if t), title)],
        "description": [Item("description", (fold(description),), "")],
    }


def fits_text(key: str, text: str) -> bool:
    """Whether a folded tag fits a folded item (see the module's notes)."""
    if not key or not text:
        return False
    if key == text:
        return True
    if language_of(key) == "zh":
        return len(key) >= 2 and key in text
    return re.search(rf"(?<![\w]){re.escape(key)}(?![\w])", text) is not None


def tag_reasons(kind: TagKind, key: str, label: str, items: dict[str, list[Item]]) -> list[Reason]:
    """Where a tag fits the job: the first part (in `PARTS` order) and item it fits."""
    found = []
    for part in PARTS[kind]:
        for item in items[part]:
            if any(fits_text(key, text) for text in item.keys):
                found.append(Reason(kind, label, part, item.shown))
                break
    return found[:1]


def suggest(
    job: Job, contacts: Iterable[NetworkContact], reader: str | None = None
) -> list[Suggestion]:
    """The contacts (one owner's) who may fit `job`, with their reasons, best first."""
    items = job_items(job, reader)
    found = []
    for contact in contacts:
        reasons = [
            reason
            for tag in contact.tags
            for reason in tag_reasons(tag.kind, tag.key, tag.label, items)
        ]
        if reasons:
            reasons.sort(key=lambda reason: KIND_ORDER[reason.kind])
            found.append(Suggestion(contact, reasons))
    found.sort(key=lambda s: (-s.score, CLOSENESS_ORDER[s.contact.closeness], s.contact.name_key))
    return found


def fitting_keys(job: Job, keys: Iterable[tuple[TagKind, str]]) -> set[tuple[TagKind, str]]:
    """Of the (kind, key) pairs given (every distinct tag in the house), those that fit `job`."""
    items = job_items(job)
    return {(kind, key) for kind, key in keys if tag_reasons(kind, key, key, items)}
