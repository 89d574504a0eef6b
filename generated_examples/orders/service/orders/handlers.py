"""Your API logic. twinspec wrote this file once and will never overwrite it.

Override any method of ``ServiceHandlers`` (see ``default_handlers.py`` for
each operation's exact signature). Emit the AsyncAPI events through
``self.events``, one typed method per send operation, for example::

    async def create_order(self, *, body: models.NewOrder) -> Response | models.Order:
        order = await database.place(body)
        await self.events.send_order_update(order)
        return order

The methods you leave out answer with the spec's example and emit the
example of each event the operation links with ``x-twinspec-emits``.
"""

from .emit import ServiceHandlers


class Handlers(ServiceHandlers):
    """The handlers the application runs."""
