"""Taxes: the public calculator, the assessment of an application, payment and receipts (issue 5)."""
