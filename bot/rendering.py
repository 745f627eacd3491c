"""Rendering of every text the bot sends, from the Jinja2 templates in `prompts/`."""

from __future__ import annotations

import logging
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from coaching.language import ENGLISH, LANGUAGES, current_language, plural

PROMPTS_DIR = Path(str(resources.files("prompts")))
_LOGGER = logging.getLogger(__name__)
# Plain-text lines, each file under its prefix: the buttons and menus, and the terminal chat's
# own lines (`comeback chat`, bot/localchat).
LABEL_FILES = {"labels.toml": "", "localchat.toml": "localchat."}


class Prompts:
    """The bot's voice: HTML message templates and plain-text button labels, per language.

    Messages are `prompts/<name>.html`, rendered with autoescape on and StrictUndefined, so
    user text such as `<AT&T>` arrives escaped for Telegram's HTML parse mode and a missing
    variable is an error rather than a silent blank. Button labels live in `prompts/labels.toml`
    as small Jinja strings; they are plain text (Telegram shows labels verbatim), so they are
    rendered without escaping.

    English is at the top of `prompts/`; another language mirrors it under `prompts/<code>/`
    (`prompts/es/debrief/ask_mood.html`, `prompts/es/labels.toml`). What is rendered follows
    `coaching.language.current_language()`. A text missing in a language falls back to English
    with a warning in the log; `missing(language)` lists them and tests/test_languages.py fails
    on any.
    """

    def __init__(self, directory: Path = PROMPTS_DIR) -> None:
        self.directory = directory
        self._html: dict[str, jinja2.Environment] = {}
        self._labels: dict[str, dict[str, str]] = {}
        for language in LANGUAGES:
            folders = [directory] if language == ENGLISH else [directory / language, directory]
            # Templates do not change while the bot runs: no auto_reload, which would stat()
            # the file on every render (benchmarks/README.md).
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(folders),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                auto_reload=False,
            )
            env.globals["plural"] = plural
            self._html[language] = env
            folder = directory if language == ENGLISH else directory / language
            self._labels[language] = {}
            for name, prefix in LABEL_FILES.items():
                if (folder / name).exists():
                    with (folder / name).open("rb") as fh:
                        self._labels[language].update(_flatten(tomllib.load(fh), prefix))
        self._plain = jinja2.Environment(
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._plain.globals["plural"] = plural
        self._label_templates: dict[tuple[str, str], jinja2.Template] = {}
        self._plain_templates: dict[tuple[str, str], jinja2.Template] = {}
        self._warned: set[tuple[str, str]] = set()

    def render(self, name: str, /, **context: Any) -> str:
        """Render `prompts/<name>.html` to Telegram HTML in the current language."""
        language = current_language()
        if language != ENGLISH and (language, name) not in self._warned:
            self._check_translated(language, name)
        return self._html[language].get_template(f"{name}.html").render(**context).strip()

    def render_plain(self, name: str, /, **context: Any) -> str:
        """Render `prompts/<name>.html` without HTML escaping, for text the user copies."""
        language = current_language()
        template = self._plain_templates.get((language, name))
        if template is None:
            source = self._source(language, name).read_text(encoding="utf-8")
            template = self._plain_templates[language, name] = self._plain.from_string(source)
        return template.render(**context).strip()

    def label(self, key: str, /, **context: Any) -> str:
        """A button label from `prompts/labels.toml`, e.g. `label("common.skip")`."""
        language = current_language()
        source = self._labels[language].get(key)
        if source is None:
            try:
                source = self._labels[ENGLISH][key]
            except KeyError:
                raise KeyError(f"no label {key!r} in prompts/labels.toml") from None
            self._warn_missing(language, f"label {key}")
        if "{" not in source:
            # No Jinja syntax: rendering would return the text as it is.
            return source.strip()
        template = self._label_templates.get((language, key))
        if template is None:
            template = self._label_templates[language, key] = self._plain.from_string(source)
        return template.render(**context).strip()

    def label_keys(self) -> list[str]:
        """Every label key, for tests that render them all."""
        return sorted(self._labels[ENGLISH])

    def template_names(self) -> list[str]:
        """Every message template name (without `.html`), for tests that render them all."""
        return sorted(
            name
            for p in self.directory.rglob("*.html")
            if (
                name := str(p.relative_to(self.directory).with_suffix("")).replace("\\", "/")
            ).split("/", 1)[0]
            not in LANGUAGES
        )

    def missing(self, language: str) -> list[str]:
        """The templates and labels with no text of their own in `language` (English shown)."""
        if language == ENGLISH:
            return []
        folder = self.directory / language
        templates = [n for n in self.template_names() if not (folder / f"{n}.html").exists()]
        labels = [f"label {k}" for k in self.label_keys() if k not in self._labels[language]]
        return templates + labels

    def _source(self, language: str, name: str) -> Path:
        if language != ENGLISH:
            translated = self.directory / language / f"{name}.html"
            if translated.exists():
                return translated
            self._warn_missing(language, name)
        return self.directory / f"{name}.html"

    def _check_translated(self, language: str, name: str) -> None:
        if not (self.directory / language / f"{name}.html").exists():
            self._warn_missing(language, name)
        self._warned.add((language, name))

    def _warn_missing(self, language: str, what: str) -> None:
        if (language, what) in self._warned:
            return
        self._warned.add((language, what))
        _LOGGER.warning("No %s text for %s: English shown instead", language, what)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat
