"""Your event handling. twinspec wrote this file once and will never overwrite it.

Override any method of ``DefaultReceivers`` (see ``default_receivers.py`` for
each event's signature); serve them with ``python -m bookstore_client.receiver``.
"""

from .default_receivers import DefaultReceivers


class Receivers(DefaultReceivers):
    """The receivers the webhook app calls."""
