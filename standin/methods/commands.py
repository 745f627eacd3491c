"""The bot's command lists (per scope and language) and its descriptions.

setMyCommands, getMyCommands, deleteMyCommands and the set/getMy(Short)Description methods;
``api.my_commands(scope, language_code)`` reads a list back.
"""

from __future__ import annotations

import copy
import json

from standin.records import JSON, UploadedFile
from standin.world import World

__all__ = ["CommandMethods"]


class CommandMethods(World):
    """Command lists and descriptions."""

    def my_commands(
        self, scope: JSON | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """The bot's command list for a scope (default scope) as (command, description)."""
        key = self._scope_key({"scope": scope, "language_code": language_code})
        return [(c["command"], c["description"]) for c in self.commands.get(key, [])]

    @staticmethod
    def _scope_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.commands[self._scope_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in params["commands"]
        ]
        return True

    def _get_my_commands(self, params: JSON, uploads: dict[str, UploadedFile]) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self._scope_key(params), []))

    def _delete_my_commands(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _set_my_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.descriptions[str(params.get("language_code") or "")] = params.get("description") or ""
        return True

    def _set_my_short_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        key = str(params.get("language_code") or "")
        self.short_descriptions[key] = params.get("short_description") or ""
        return True

    def _get_my_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        key = str(params.get("language_code") or "")
        return {"description": self.descriptions.get(key, self.descriptions.get("", ""))}

    def _get_my_short_description(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        key = str(params.get("language_code") or "")
        text = self.short_descriptions.get(key, self.short_descriptions.get("", ""))
        return {"short_description": text}
