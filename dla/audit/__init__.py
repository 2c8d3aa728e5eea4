"""The audit log (logboek): who changed what, when, old → new."""
