"""Your API logic. twinspec wrote this file once and will never overwrite it.

Override any method of ``DefaultHandlers`` (see ``default_handlers.py`` for
each operation's exact signature); the ones you leave out keep answering with
the spec's example. When the spec gains an operation, regenerating adds its
default there, and this class inherits it.

Example::

    async def get_thing(self, *, thing_id: int) -> Response | models.Thing:
        thing = await database.load(thing_id)
        if thing is None:
            raise runtime.ApiError(404, {"message": "no such thing"})
        return thing
"""

from .default_handlers import DefaultHandlers


class Handlers(DefaultHandlers):
    """The handlers the application runs."""
