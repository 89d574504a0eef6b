"""One module per ``twinspec`` command; each exposes its click ``command`` (see ``cli/app.py``)."""
