"""Charts: persistence, flow per version, survival (plotly, served from the package)."""
