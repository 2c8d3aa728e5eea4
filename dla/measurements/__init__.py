"""Meaningful measurements: indicators, observations, links to questions."""
