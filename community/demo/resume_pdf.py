"""A stand-in for a candidate's resume, built in code at seed time (no binary files in the
repository): a small, valid one-page PDF with the candidate's contact details."""

from __future__ import annotations

from community.jobs.models import Job


def resume_pdf(candidate: tuple[str, ...], job: Job) -> bytes:
    """A small, valid one-page PDF standing in for the candidate's resume (ASCII text only)."""
    email, phone = candidate[1], candidate[2]
    english_name = " ".join(part.capitalize() for part in email.split("@")[0].split("."))
    lines = [
        english_name,
        "Resume",
        f"Email: {email}",
        f"Phone: +86 {phone}",
        f"Years of experience: {job.min_years + 2}",
    ]

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 20 Tf", "72 760 Td", f"({escape(lines[0])}) Tj", "/F1 11 Tf"]
    for line in lines[1:]:
        ops += ["0 -22 Td", f"({escape(line)}) Tj"]
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
