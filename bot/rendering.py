"""Rendering of every text the bot sends, from the Jinja2 templates in `prompts/`."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

PROMPTS_DIR = Path(str(resources.files("prompts")))


class Prompts:
    """The bot's voice: HTML message templates and plain-text button labels.

    Messages are `prompts/<name>.html`, rendered with autoescape on and StrictUndefined, so
    user text such as `<AT&T>` arrives escaped for Telegram's HTML parse mode and a missing
    variable is an error rather than a silent blank. Button labels live in `prompts/labels.toml`
    as small Jinja strings; they are plain text (Telegram shows labels verbatim), so they are
    rendered without escaping.
    """

    def __init__(self, directory: Path = PROMPTS_DIR) -> None:
        self.directory = directory
        # Templates do not change while the bot runs: no auto_reload, which would stat() the
        # file on every render (benchmarks/README.md).
        self._html = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self._plain = jinja2.Environment(
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        with (directory / "labels.toml").open("rb") as fh:
            self._labels = _flatten(tomllib.load(fh))
        self._label_templates: dict[str, jinja2.Template] = {}
        self._plain_templates: dict[str, jinja2.Template] = {}

    def render(self, name: str, /, **context: Any) -> str:
        """Render `prompts/<name>.html` to Telegram HTML."""
        return self._html.get_template(f"{name}.html").render(**context).strip()

    def render_plain(self, name: str, /, **context: Any) -> str:
        """Render `prompts/<name>.html` without HTML escaping, for text the user copies."""
        template = self._plain_templates.get(name)
        if template is None:
            source = (self.directory / f"{name}.html").read_text(encoding="utf-8")
            template = self._plain_templates[name] = self._plain.from_string(source)
        return template.render(**context).strip()

    def label(self, key: str, /, **context: Any) -> str:
        """A button label from `prompts/labels.toml`, e.g. `label("common.skip")`."""
        try:
            source = self._labels[key]
        except KeyError:
            raise KeyError(f"no label {key!r} in prompts/labels.toml") from None
        if "{" not in source:
            # No Jinja syntax: rendering would return the text as it is.
            return source.strip()
        template = self._label_templates.get(key)
        if template is None:
            template = self._label_templates[key] = self._plain.from_string(source)
        return template.render(**context).strip()

    def label_keys(self) -> list[str]:
        """Every label key, for tests that render them all."""
        return sorted(self._labels)

    def template_names(self) -> list[str]:
        """Every message template name (without `.html`), for tests that render them all."""
        return sorted(
            str(p.relative_to(self.directory).with_suffix("")).replace("\\", "/")
            for p in self.directory.rglob("*.html")
        )


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat
