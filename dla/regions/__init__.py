"""Regions: the networks that own agendas."""
