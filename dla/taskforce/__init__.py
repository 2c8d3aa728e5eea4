"""The taskforce's own pages: its start page, the digest since the last meeting, the
decisions and actions register, and the programme view across regions.

Pure parts: ``terms`` (free-text terms to dates), ``digest`` (trends and the digest's
shape), ``programme`` (grouping questions of several regions by similarity). Reads in
``queries``, changes in ``services``, pages in ``views/``.
"""
