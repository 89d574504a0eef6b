"""Finding operations still on their generated default, from code alone."""

from __future__ import annotations

from generator.drive.defaults import unimplemented, untouched

GENERATED = {
    "pkg/default_handlers.py": (
        "class DefaultHandlers:\n"
        "    async def get_pet(self) -> str:\n        return 'x'\n\n"
        "    def list_pets(self) -> list[str]:\n        return []\n\n"
        "    def _helper(self) -> None:\n        pass\n"
    ),
    "pkg/models.py": "class Pet:\n    name: str\n",
}


def names(found: object) -> list[str]:
    assert isinstance(found, list)
    return sorted(item.name for item in found)


def test_inherited_methods_not_overridden() -> None:
    user = (
        "from . import default_handlers\n\n\n"
        "class Handlers(default_handlers.DefaultHandlers):\n"
        "    async def get_pet(self) -> str:\n        return 'rex'\n"
    )
    found = unimplemented(user, GENERATED)
    assert names(found) == ["Handlers.list_pets"]
    assert found is not None and (found[0].line, found[0].column) == (4, 1)


def test_no_pattern_or_broken_file_gives_none() -> None:
    assert unimplemented("def verify() -> bool:\n    return True\n", GENERATED) is None
    assert unimplemented("class Handlers(Base):\n    pass\n", GENERATED) is None
    assert unimplemented("class Handlers(DefaultHandlers:\n", GENERATED) is None


def test_untouched_functions_and_methods() -> None:
    default = (
        "def ping() -> str:\n    '''Answer.'''\n    return 'pong'\n\n\n"
        "async def chat(text: str) -> None:\n    return None\n\n\n"
        "class Hooks:\n    def verify(self) -> bool:\n        return False\n"
    )
    user = default.replace("return 'pong'", "return 'PONG'") + "\n\ndef mine() -> None:\n    pass\n"
    assert names(untouched(user, default)) == ["Hooks.verify", "chat"]
    assert untouched("def chat(:\n", default) == []
    reformatted = default.replace("def ping() -> str:", "def ping()   ->   str :")
    assert "ping" in names(untouched(reformatted, default)), "formatting is not implementing"
