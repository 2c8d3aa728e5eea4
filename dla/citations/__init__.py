"""Quotations of learning questions in reports, and the citation check."""
