"""``{% pdf_available as has_pdf %}``: whether a PDF link can be offered (LibreOffice installed)."""
from __future__ import annotations

from django import template

from duban.documents import pdf

register = template.Library()


@register.simple_tag
def pdf_available() -> bool:
    return pdf.available()
