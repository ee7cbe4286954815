"""Repair of case texts damaged by a bad conversion (GBK misalignment, lost headings)."""
