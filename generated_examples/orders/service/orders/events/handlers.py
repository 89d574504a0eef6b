# written once by twinspec from specs/orders-events.yaml (target service): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

A function here named like an operation replaces the default in
``defaults.py`` (which logs and replies with the spec's examples). Delete a
function to get the default back; operations added to the spec later start
with their default until you add them here.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)
