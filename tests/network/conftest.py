"""The people of the network tests: two employees with networks of their own, a manager, HR, and
an open job with a profile their contacts' tags can fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from community.accounts.models import Role, User
from community.jobs.models import Job, JobFamily
from community.network import services
from community.network.models import NetworkContact
from community.network.rules import ContactFields
from tests.factories import make_department, make_job, make_user


@dataclass
class Cast:
    hr: User
    ann: User  # keeps a network
    bob: User  # another employee, with a network of his own
    cat: User  # a manager (Ann's and Bob's): no more rights here than anyone
    job: Job

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def cast() -> Cast:
    department = make_department("Engineering")
    cat = make_user(Role.MANAGER, department, name="Cat Manager")
    return Cast(
        hr=make_user(Role.HR, department, name="Hana HR"),
        ann=make_user(Role.EMPLOYEE, department, name="Ann Employee", manager_id=cat.id),
        bob=make_user(Role.EMPLOYEE, department, name="Bob Employee", manager_id=cat.id),
        cat=cat,
        job=make_job(
            department,
            title="支付后端工程师",
            title_en="Payments backend engineer",
            family=JobFamily.ENGINEERING,
            skills=["Go", "Kafka"],
            skills_en=[],
            competencies=["高并发系统设计"],
            competencies_en=["High-concurrency system design"],
            challenges="大促期间需要值班。",
            challenges_en="You join the on-call rota during big sales.",
            interview_focus="系统设计：一个真实的支付案例",
            interview_focus_en="System design on a real payments case",
        ),
    )


def contact(owner: User, name: str = "Wang Wei", **values: Any) -> NetworkContact:
    """A contact added through the service (closeness ordinary unless given)."""
    return services.add_contact(owner, ContactFields(name=name, **values))
