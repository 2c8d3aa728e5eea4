"""Exports: JSON (lossless, restorable), CSV, XLSX, DOCX, printable HTML and a bundle."""
