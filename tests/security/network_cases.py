"""The private network's routes for the security tests: the pages every signed-in person has
(their own network: the matrix opens them as every role), and whose record a contact id names in
the id-guessing test (the referrer's contact: to anyone else as missing as none, HR included).
Rows, not `Case`s, so that this module need not import the test module that reads it."""

from __future__ import annotations

from community.network import services
from community.network.rules import ContactFields
from tests.security.conftest import Company


def referrers_contact(company: Company) -> int:
    """A contact in the referrer's private network (made once per test)."""
    if "contact_id" not in company.__dict__:
        contact = services.add_contact(
            company.referrer,
            ContactFields(
                name="Private Contact Pei",
                skills="Go, Kafka",
                email="pei.private@example.org",
                notes="Secret note about Pei",
            ),
        )
        company.__dict__["contact_id"] = contact.id
    return company.__dict__["contact_id"]


NETWORK_GETS = {
    "network.index": lambda c: "/network/",
    "network.new": lambda c: "/network/contacts/new",
    "network.delete_all": lambda c: "/network/delete-all",
    "network.import_file": lambda c: "/network/import",
    "network.export_csv": lambda c: "/network/export.csv",
    "network.export_vcard": lambda c: "/network/export.vcf",
    "network.suggestions_page": lambda c: "/network/suggestions",
    "network.job_suggestions": lambda c: f"/network/suggestions/{c.job.id}",
    "network.coach": lambda c: f"/network/coach?job={c.job.id}",
}
