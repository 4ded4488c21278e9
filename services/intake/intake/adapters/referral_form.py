"""The printable referral form of one child record, as HTML (Jinja2) and PDF (fpdf2)."""

from datetime import date

from fpdf import FPDF
from jinja2 import Environment, select_autoescape

_environment = Environment(autoescape=select_autoescape(default=True))
_TEMPLATE = _environment.from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Referral {{ form.record_number }}</title>
<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}th{text-align:left;padding-right:1em}
td,th{padding:.2em 0}h1{font-size:1.4em}</style></head>
<body>
<h1>ISETS Referral {{ form.record_number }}</h1>
<table>
{% for label, value in rows %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
</body></html>
"""
)


def _us_date(value: str | None) -> str | None:
    """Caseworkers read dates as MM/DD/YYYY; the snapshot keeps ISO dates."""
    if not value:
        return value
    return date.fromisoformat(value).strftime("%m/%d/%Y")


def form_rows(form: dict) -> list[tuple[str, str]]:
    customer = form.get("customer", {})
    eligible = form.get("snap_et_eligible")
    rows = [
        ("Record", form.get("record_number")),
        ("Response", form.get("response")),
        ("Customer", customer.get("name")),
        ("IDHS individual number", customer.get("individual_number")),
        ("SNAP case number", customer.get("snap_case_number")),
        ("Date of birth", _us_date(customer.get("date_of_birth"))),
        ("Address", customer.get("address")),
        ("County", customer.get("county")),
        ("Phone", customer.get("phone")),
        ("Email", customer.get("email")),
        ("SNAP eligibility", customer.get("snap_eligibility")),
        ("E&T status", customer.get("et_status")),
        ("Program", form.get("program")),
        ("Referred to", form.get("referred_to")),
        ("Referred from", form.get("referred_from")),
        ("Date submitted", _us_date(form.get("date_submitted"))),
        ("Responded by", form.get("responded_by")),
        ("Response date", _us_date(form.get("response_date"))),
        ("SNAP/E&T eligible", "" if eligible is None else ("Yes" if eligible else "No")),
        ("Reason", form.get("reason")),
    ]
    return [(label, "" if value is None else str(value)) for label, value in rows]


def render_html(form: dict) -> str:
    return _TEMPLATE.render(form=form, rows=form_rows(form))


def render_pdf(form: dict) -> bytes:
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 12, f"ISETS Referral {form.get('record_number')}", new_x="LMARGIN", new_y="NEXT")
    for label, value in form_rows(form):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 7, label)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 7, value.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
