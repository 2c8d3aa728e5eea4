"""Accounts, roles per region and access rules."""
