"""The official Bot API specification (``shared/telegram-bot-api/api.json``) as a checker.

``BotApiSpec.validate(method, params, files)`` returns the list of reasons Telegram would
refuse a request (empty when the request is fine).  Parameters are accepted the way PTB
sends them: form fields whose values are strings (nested objects and arrays JSON-encoded,
integers like ``"123"``, booleans ``"true"``/``"false"``) or already-decoded JSON values;
uploaded files are named in ``files`` and referenced either by a parameter of the same name
or by ``attach://<name>``.  ``BotApiSpec.check`` also returns the normalised parameters.

Besides the types from the spec, the limits stated in prose are enforced: the ``N-M
characters``/``N-M bytes`` ranges found in field descriptions (``after entities parsing``
when a parse mode applies), the validity of HTML/MarkdownV2 formatted text, bot command
names, exactly one action field per InlineKeyboardButton and list sizes ("list of 1-12").
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from standin.textparse import EntityParseError, parse_formatted, utf16_len

__all__ = [
    "BotApiSpec",
    "CheckResult",
    "FieldSpec",
    "FileRef",
    "MethodSpec",
    "SpecNotFoundError",
    "TypeSpec",
]

SPEC_RELATIVE_PATH = Path("shared") / "telegram-bot-api" / "api.json"
SPEC_ENV_VAR = "TELEGRAM_API_SPEC"


class SpecNotFoundError(FileNotFoundError):
    """The Bot API spec file could not be located."""


@dataclass(frozen=True)
class FileRef:
    """A parameter value that refers to an uploaded file (multipart part ``name``)."""

    name: str


@dataclass(frozen=True)
class Limit:
    low: int
    high: int
    unit: str  # "characters" or "bytes"
    after_parsing: bool


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    limit: Limit | None = None
    count: tuple[int, int] | None = None  # size range for arrays


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: Mapping[str, FieldSpec]
    returns: tuple[str, ...]


@dataclass(frozen=True)
class TypeSpec:
    name: str
    fields: Mapping[str, FieldSpec]
    subtypes: tuple[str, ...] = ()
    discriminator: tuple[str, str] | None = None  # (field, value) e.g. ("type", "chat")


@dataclass
class CheckResult:
    """Outcome of :meth:`BotApiSpec.check`."""

    method: str | None  # canonical method name, None when unknown
    params: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_LIMIT_RE = re.compile(r"(\d+)-(\d+)\s+(characters|bytes)(\s+after\s+entit(?:y|ies)\s+parsing)?")
_COUNT_RES = (
    re.compile(r"list of (\d+)-(\d+)\b"),
    re.compile(r"must include (\d+)-(\d+) items"),
)
_MAX_RES = (re.compile(r"[Aa]t most (\d+)\b"), re.compile(r"up to (\d+) items"))
_DISCRIMINATOR_RE = re.compile(r"(?:must be|always)\s+[\"“*]?([A-Za-z_]+)")
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_PARSE_MODES = {"html", "markdown", "markdownv2"}
_PARSED_TEXT_FIELDS = ("text", "caption", "message_text")
_BUTTON_NON_ACTION = {"text", "icon_custom_emoji_id", "style"}
_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_SCALARS = {"Integer", "Float", "Boolean", "String", "InputFile"}


def _field_from_json(raw: Mapping[str, Any]) -> FieldSpec:
    description = str(raw.get("description", ""))
    types = tuple(str(t) for t in raw.get("types", []))
    limit = None
    if "String" in types:
        match = _LIMIT_RE.search(description)
        if match:
            limit = Limit(
                int(match.group(1)), int(match.group(2)), match.group(3), bool(match.group(4))
            )
    count = None
    if any(t.startswith("Array of") for t in types):
        for regex in _COUNT_RES:
            m = regex.search(description)
            if m:
                count = (int(m.group(1)), int(m.group(2)))
                break
        else:
            for regex in _MAX_RES:
                m = regex.search(description)
                if m:
                    count = (0, int(m.group(1)))
                    break
    return FieldSpec(
        name=str(raw["name"]),
        types=types,
        required=bool(raw.get("required", False)),
        description=description,
        limit=limit,
        count=count,
    )


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class BotApiSpec:
    """The Bot API methods and types, able to validate requests and responses."""

    def __init__(self, data: Mapping[str, Any], source: str | None = None) -> None:
        self.source = source
        self.version: str = str(data.get("version", "unknown"))
        self.methods: dict[str, MethodSpec] = {}
        self.types: dict[str, TypeSpec] = {}
        for name, raw in data.get("methods", {}).items():
            fields = {f["name"]: _field_from_json(f) for f in raw.get("fields", [])}
            self.methods[name] = MethodSpec(name, fields, tuple(raw.get("returns", [])))
        for name, raw in data.get("types", {}).items():
            fields = {f["name"]: _field_from_json(f) for f in raw.get("fields", [])}
            discriminator = None
            for key in ("type", "status", "source"):
                f = fields.get(key)
                if f and f.required and f.types == ("String",):
                    m = _DISCRIMINATOR_RE.search(f.description)
                    if m:
                        discriminator = (key, m.group(1))
                        break
            self.types[name] = TypeSpec(name, fields, tuple(raw.get("subtypes", [])), discriminator)
        self._lower_methods = {name.lower(): name for name in self.methods}

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BotApiSpec:
        """Load the spec from an ``api.json`` file (cached per resolved path)."""
        return _load_cached(str(Path(path).resolve()))

    @classmethod
    def find_default_path(cls) -> Path:
        """Where :meth:`default` loads from; raises SpecNotFoundError with the places tried."""
        env = os.environ.get(SPEC_ENV_VAR)
        if env:
            path = Path(env)
            if not path.is_file():
                raise SpecNotFoundError(
                    f"{SPEC_ENV_VAR}={env!r} does not point to a file (Bot API spec api.json)"
                )
            return path
        tried: list[str] = []
        for base in (Path.cwd().resolve(), Path(__file__).resolve().parent):
            for directory in (base, *base.parents):
                candidate = directory / SPEC_RELATIVE_PATH
                if candidate.is_file():
                    return candidate
                tried.append(str(candidate))
        bundled = Path(__file__).resolve().parent / "spec_data" / "api.json"
        if bundled.is_file():
            return bundled
        tried.append(str(bundled))
        raise SpecNotFoundError(
            "Telegram Bot API spec not found: set the environment variable "
            f"{SPEC_ENV_VAR} to the path of api.json, or put {SPEC_RELATIVE_PATH} in a parent "
            "directory of the working directory or of this package. Tried:\n  "
            + "\n  ".join(dict.fromkeys(tried))
        )

    @classmethod
    def default(cls) -> BotApiSpec:
        """Load the spec from ``$TELEGRAM_API_SPEC``, ``shared/telegram-bot-api/api.json``
        found in a parent directory of the working directory or of this file, or the copy
        bundled with the package (``spec_data/api.json``)."""
        return cls.load(cls.find_default_path())

    # ------------------------------------------------------------------ lookups

    def resolve_method(self, method: str) -> str | None:
        """Canonical name of ``method`` (Telegram matches method names case-insensitively)."""
        return self._lower_methods.get(method.lower())

    # ------------------------------------------------------------------ validation

    def validate(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Human-readable reasons why Telegram would refuse this call (empty if none)."""
        return self.check(method, params, files).problems

    def check(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, Any] | None = None,
    ) -> CheckResult:
        """Validate a call and return its normalised parameters along with the problems."""
        canonical = self.resolve_method(method)
        if canonical is None:
            return CheckResult(None, dict(params), [f"unknown method {method!r}"])
        spec = self.methods[canonical]
        file_names = set(files or ())
        raw = {k: v for k, v in params.items() if v is not None}
        for name, f in spec.fields.items():
            if name not in raw and name in file_names and "InputFile" in f.types:
                raw[name] = FileRef(name)
        problems: list[str] = []
        normalised = self._check_object(
            canonical, spec.fields, raw, "", problems, file_names, form=True, top=True
        )
        return CheckResult(canonical, normalised, problems)

    def validate_value(self, types: Sequence[str], value: Any, path: str = "value") -> list[str]:
        """Check a decoded JSON value (e.g. a response ``result``) against spec types."""
        problems: list[str] = []
        self._coerce(tuple(types), value, path, problems, set(), form=False)
        return problems

    # ------------------------------------------------------------------ internals

    def _check_object(
        self,
        owner: str,
        fields: Mapping[str, FieldSpec],
        value: Mapping[str, Any],
        path: str,
        problems: list[str],
        files: set[str],
        *,
        form: bool,
        top: bool = False,
    ) -> dict[str, Any]:
        what = "parameter" if top else "field"
        prefix = f"{path}." if path else ""
        result: dict[str, Any] = {}
        for key in value:
            if key not in fields:
                problems.append(f"{prefix}{key}: unknown {what} for {owner}")
        for name, f in fields.items():
            if name not in value:
                if f.required:
                    problems.append(f"{prefix}{name}: required {what} of {owner} is missing")
                continue
            result[name] = self._coerce(
                f.types, value[name], prefix + name, problems, files, form=form
            )
        for key in value:
            if key not in fields:
                result[key] = value[key]

        # parse modes and prose limits
        for name in fields:
            if name == "parse_mode" or name.endswith("_parse_mode"):
                mode = result.get(name)
                if isinstance(mode, str) and mode and mode.lower() not in _PARSE_MODES:
                    problems.append(
                        f"{prefix}{name}: unsupported parse mode {mode!r} "
                        "(use HTML, MarkdownV2 or Markdown)"
                    )
        for name, f in fields.items():
            text = result.get(name)
            if not isinstance(text, str):
                continue
            mode = self._parse_mode_for(name, result)
            measured = text
            if mode and mode.lower() in _PARSE_MODES:
                try:
                    measured = parse_formatted(text, mode).text
                except EntityParseError as exc:
                    problems.append(f"{prefix}{name}: {exc}")
                    continue
            if f.limit is None:
                continue
            lim = f.limit
            # Telegram counts characters in UTF-16 code units (an emoji is often two).
            size = len(measured.encode("utf-8")) if lim.unit == "bytes" else utf16_len(measured)
            suffix = " after entities parsing" if lim.after_parsing else ""
            if lim.after_parsing and lim.low >= 1 and not measured.strip():
                problems.append(f"{prefix}{name}: text must be non-empty (message text is empty)")
            elif size < lim.low or size > lim.high:
                problems.append(
                    f"{prefix}{name}: must be {lim.low}-{lim.high} {lim.unit}{suffix}, "
                    f"got {size}"
                    + (" (message is too long)" if size > lim.high and name == "text" else "")
                )
        for name, f in fields.items():
            items = result.get(name)
            if f.count is not None and isinstance(items, list):
                low, high = f.count
                if not low <= len(items) <= high:
                    problems.append(
                        f"{prefix}{name}: must contain {low}-{high} items, got {len(items)}"
                    )
        self._special_rules(owner, result, prefix, problems)
        return result

    @staticmethod
    def _parse_mode_for(name: str, obj: Mapping[str, Any]) -> str | None:
        if name.endswith("parse_mode"):
            return None
        mode = obj.get(f"{name}_parse_mode")
        if mode is None and name in _PARSED_TEXT_FIELDS:
            mode = obj.get("parse_mode")
        if not isinstance(mode, str):
            return None
        entities_key = "entities" if name in ("text", "message_text") else f"{name}_entities"
        if obj.get(entities_key):
            return None  # explicit entities win over the parse mode
        return mode

    @staticmethod
    def _special_rules(
        owner: str, obj: Mapping[str, Any], prefix: str, problems: list[str]
    ) -> None:
        if owner == "InlineKeyboardButton":
            actions = sorted(k for k in obj if k not in _BUTTON_NON_ACTION)
            if len(actions) != 1:
                problems.append(
                    f"{prefix.rstrip('.')}: an InlineKeyboardButton must have exactly one of "
                    f"the action fields (url, callback_data, ...), got {actions or 'none'}"
                )
        elif owner == "BotCommand":
            command = obj.get("command")
            if isinstance(command, str) and not _COMMAND_RE.fullmatch(command):
                problems.append(
                    f"{prefix}command: bot command {command!r} must be 1-32 characters of "
                    "lowercase English letters, digits and underscores (BOT_COMMAND_INVALID)"
                )
        elif owner == "sendChatAction":
            action = obj.get("action")
            if isinstance(action, str) and action not in _CHAT_ACTIONS:
                problems.append(f"{prefix}action: wrong type of action {action!r}")

    def _coerce(
        self,
        types: tuple[str, ...],
        value: Any,
        path: str,
        problems: list[str],
        files: set[str],
        *,
        form: bool,
    ) -> Any:
        """Check ``value`` against a union of spec types; return the normalised value."""
        order = types
        if form and isinstance(value, str) and "String" in types and len(types) > 1:
            # a form value that parses as a more specific type is that type
            order = (*(t for t in types if t != "String"), "String")
        attempts: list[tuple[str, list[str]]] = []
        for type_name in order:
            local: list[str] = []
            normalised = self._coerce_one(type_name, value, path, local, files, form=form)
            if not local:
                return normalised
            attempts.append((type_name, local))
        plausible = [a for a in attempts if self._kind_matches(a[0], value, form)]
        if len(plausible) > 1:
            specific = [a for a in plausible if a[0] != "String"]
            plausible = specific or plausible
        if len(plausible) == 1 or (plausible and len(types) == 1):
            problems.extend(plausible[0][1])
        elif plausible and all(t in self.types for t, _ in plausible):
            decoded = value
            if isinstance(value, str):
                try:
                    decoded = json.loads(value)
                except ValueError:
                    decoded = None
            keys = set(decoded) if isinstance(decoded, dict) else set()

            def score(attempt: tuple[str, list[str]]) -> tuple[int, int]:
                known = self.types[attempt[0]].fields
                return (-len(keys & set(known)), len(attempt[1]))

            problems.extend(min(plausible, key=score)[1])
        else:
            problems.append(f"{path}: expected {' or '.join(types)}, got {_describe(value)}")
        return value

    def _kind_matches(self, type_name: str, value: Any, form: bool) -> bool:
        if isinstance(value, FileRef):
            return type_name == "InputFile"
        if type_name in ("Integer", "Float"):
            return (isinstance(value, int | float) and not isinstance(value, bool)) or (
                form and isinstance(value, str)
            )
        if type_name == "Boolean":
            return isinstance(value, bool) or (form and isinstance(value, str))
        if type_name == "String":
            return isinstance(value, str)
        if type_name == "InputFile":
            return isinstance(value, str) and value.startswith("attach://")
        if type_name.startswith("Array of"):
            return isinstance(value, list) or (
                form and isinstance(value, str) and value.lstrip().startswith("[")
            )
        return isinstance(value, dict) or (
            form and isinstance(value, str) and value.lstrip().startswith("{")
        )

    def _coerce_one(
        self,
        type_name: str,
        value: Any,
        path: str,
        problems: list[str],
        files: set[str],
        *,
        form: bool,
    ) -> Any:
        if isinstance(value, FileRef):
            if type_name != "InputFile":
                problems.append(f"{path}: a file upload is not allowed here ({type_name})")
            return value
        if type_name == "Integer":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if form and isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
                return int(value)
            problems.append(f"{path}: expected Integer, got {_describe(value)}")
            return value
        if type_name == "Float":
            if isinstance(value, int | float) and not isinstance(value, bool):
                return value
            if form and isinstance(value, str) and _FLOAT_RE.fullmatch(value.strip()):
                return float(value)
            problems.append(f"{path}: expected Float, got {_describe(value)}")
            return value
        if type_name == "Boolean":
            if isinstance(value, bool):
                return value
            if form and isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
                return value.lower() in ("true", "1")
            problems.append(f"{path}: expected Boolean, got {_describe(value)}")
            return value
        if type_name == "String":
            if isinstance(value, str):
                if value.startswith("attach://") and value[len("attach://") :] not in files:
                    problems.append(
                        f"{path}: {value!r} refers to a file that was not uploaded with the request"
                    )
                return value
            problems.append(f"{path}: expected String, got {_describe(value)}")
            return value
        if type_name == "InputFile":
            if isinstance(value, str) and value.startswith("attach://"):
                name = value[len("attach://") :]
                if name in files:
                    return FileRef(name)
                problems.append(f"{path}: {value!r} refers to a file that was not uploaded")
                return value
            problems.append(
                f"{path}: expected an uploaded file (InputFile), got {_describe(value)}"
            )
            return value

        if form and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                problems.append(
                    f"{path}: expected JSON-serialized {type_name}, got {_describe(value)}"
                )
                return value
        if type_name.startswith("Array of "):
            inner = type_name[len("Array of ") :]
            if not isinstance(value, list):
                problems.append(f"{path}: expected {type_name}, got {_describe(value)}")
                return value
            return [
                self._coerce((inner,), item, f"{path}[{i}]", problems, files, form=False)
                for i, item in enumerate(value)
            ]
        spec = self.types.get(type_name)
        if spec is None:
            problems.append(f"{path}: unknown type {type_name} in the spec")
            return value
        if spec.subtypes:
            return self._coerce_subtype(spec, value, path, problems, files)
        if not isinstance(value, dict):
            problems.append(f"{path}: expected {type_name} object, got {_describe(value)}")
            return value
        if not spec.fields:
            return value
        result = self._check_object(
            type_name, spec.fields, value, path, problems, files, form=False
        )
        if spec.discriminator is not None:
            key, expected = spec.discriminator
            if result.get(key) != expected:
                problems.append(f"{path}.{key}: must be {expected!r} for {type_name}")
        return result

    def _coerce_subtype(
        self,
        spec: TypeSpec,
        value: Any,
        path: str,
        problems: list[str],
        files: set[str],
    ) -> Any:
        discriminated = {
            sub: self.types[sub].discriminator
            for sub in spec.subtypes
            if sub in self.types and self.types[sub].discriminator is not None
        }
        if isinstance(value, dict) and discriminated:
            for sub, disc in discriminated.items():
                assert disc is not None
                if value.get(disc[0]) == disc[1]:
                    return self._coerce_one(sub, value, path, problems, files, form=False)
            keys = sorted({d[0] for d in discriminated.values() if d})
            allowed = sorted(d[1] for d in discriminated.values() if d)
            if not any(
                self.types[s].discriminator is None for s in spec.subtypes if s in self.types
            ):
                problems.append(
                    f"{path}: {spec.name} needs {'/'.join(keys)} one of {allowed}, "
                    f"got {_describe({k: value.get(k) for k in keys})}"
                )
                return value
        return self._coerce(spec.subtypes, value, path, problems, files, form=False)


@lru_cache(maxsize=8)
def _load_cached(path: str) -> BotApiSpec:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise SpecNotFoundError(f"Bot API spec not found at {path}") from exc
    return BotApiSpec(data, source=path)
