"""Werksessie mode: review an agenda together and leave with the next (concept) version."""
