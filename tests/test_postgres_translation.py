"""The repositories' SQL (SQLite's parameter styles) as psycopg runs it on PostgreSQL.

`bot.storage.postgres.translate` rewrites placeholders, `json_each` lists and `IS ?`, and must
leave string literals exactly as written; `bind` passes the parameters by the names the
translation uses. The last tests run the same statements on both backends and expect the same
rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.storage.database import SqlStore
from bot.storage.postgres import bind, translate
from tests.kit.db import DbTarget, rows, write

_LITERAL = re.compile(r"'(?:[^']|'')*'")


class _Any(dict[str, Any]):
    """Every name psycopg would look up, answered with a marker (for `%` formatting)."""

    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def as_psycopg_sends(sql: str) -> str:
    """The statement after psycopg's own `%(name)s` / `%%` pass (the same syntax as Python's
    `%` operator with a mapping), each parameter shown as `<name>`."""
    return sql % _Any()


def literals(sql: str) -> list[str]:
    return _LITERAL.findall(sql)


# --- Placeholders ---------------------------------------------------------------------------


def test_bare_question_marks_are_numbered_in_order() -> None:
    done = translate("SELECT * FROM t WHERE a = ? AND b = ? OR c = ?")
    assert done.sql == "SELECT * FROM t WHERE a = %(_1)s AND b = %(_2)s OR c = %(_3)s"
    assert done.positional and done.arrays == frozenset()
    assert bind(done, ("x", 2, None)) == {"_1": "x", "_2": 2, "_3": None}


def test_numbered_placeholders_keep_their_number_and_may_repeat() -> None:
    done = translate("SELECT ?2, ?1, ?2 FROM t WHERE id = ?10")
    assert done.sql == "SELECT %(_2)s, %(_1)s, %(_2)s FROM t WHERE id = %(_10)s"
    assert done.positional
    params = bind(done, list(range(1, 11)))
    assert (params["_1"], params["_2"], params["_10"]) == (1, 2, 10)


def test_named_placeholders_are_passed_by_name() -> None:
    done = translate("SELECT :uid, :uid FROM t WHERE owner = :owner_2")
    assert done.sql == "SELECT %(uid)s, %(uid)s FROM t WHERE owner = %(owner_2)s"
    assert not done.positional
    assert bind(done, {"uid": 7, "owner_2": "x"}) == {"uid": 7, "owner_2": "x"}


def test_double_colon_casts_are_not_placeholders() -> None:
    done = translate("SELECT a::text, :n::integer, ?::bigint FROM t")
    assert done.sql == "SELECT a::text, %(n)s::integer, %(_1)s::bigint FROM t"


def test_a_percent_in_code_is_doubled_for_psycopg() -> None:
    done = translate("SELECT id % 2 FROM t WHERE id > ?")
    assert done.sql == "SELECT id %% 2 FROM t WHERE id > %(_1)s"
    assert as_psycopg_sends(done.sql) == "SELECT id % 2 FROM t WHERE id > <_1>"


def test_a_statement_without_parameters_is_unchanged() -> None:
    sql = "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'"
    assert translate(sql).sql == sql
    assert not translate(sql).positional


# --- Literals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT '?' , ?",
        "SELECT 'a:b', :b",
        "SELECT '09:00:00', ?1",
        "SELECT '50%', ?",
        "SELECT 'it''s ?1 or :name', ?",
        "SELECT '', '''', '?''?', ?",
        "SELECT 'IN (SELECT value FROM json_each(?))', 'x IS ?', ?",
        "SELECT '%(_1)s', '%s', ?",
    ],
)
def test_literals_holding_placeholder_characters_are_left_alone(sql: str) -> None:
    done = translate(sql)
    assert literals(as_psycopg_sends(done.sql)) == literals(sql)
    assert as_psycopg_sends(done.sql).count("<_1>") + as_psycopg_sends(done.sql).count("<b>") == 1


# --- json_each lists and IS -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("SELECT id FROM t WHERE id IN (SELECT value FROM json_each(?))", "_1"),
        ("SELECT id FROM t WHERE id IN (SELECT value FROM json_each(?1))", "_1"),
        ("SELECT id FROM t WHERE id IN (SELECT value FROM json_each(:ids))", "ids"),
        ("SELECT id FROM t WHERE id in ( select VALUE from JSON_EACH( :ids ) )", "ids"),
    ],
)
def test_json_each_lists_become_any_of_a_list(sql: str, name: str) -> None:
    done = translate(sql)
    assert done.sql == f"SELECT id FROM t WHERE id = ANY(%({name})s)"
    assert done.arrays == frozenset({name})

    def passed(value: list[object]) -> Any:
        return {name: json.dumps(value)} if name == "ids" else [json.dumps(value)]

    assert bind(done, passed([3, 1])) == {name: [3, 1]}  # integers stay integers
    assert bind(done, passed(["mood", "goal_mid"])) == {name: ["mood", "goal_mid"]}
    assert bind(done, passed([])) == {name: []}


def test_a_list_already_decoded_is_passed_as_it_is() -> None:
    done = translate("SELECT id FROM t WHERE kind IN (SELECT value FROM json_each(?1)) AND x = ?2")
    assert done.sql == "SELECT id FROM t WHERE kind = ANY(%(_1)s) AND x = %(_2)s"
    assert bind(done, (["a", "b"], "[1]")) == {"_1": ["a", "b"], "_2": "[1]"}  # only the list


def test_is_a_parameter_is_null_safe_equality() -> None:
    done = translate("SELECT 1 FROM t WHERE a IS ?1 AND b IS :b AND c IS NULL AND d IS NOT NULL")
    assert done.sql == (
        "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM %(_1)s AND b IS NOT DISTINCT FROM %(b)s"
        " AND c IS NULL AND d IS NOT NULL"
    )
    bare = translate("SELECT 1 FROM t WHERE a IS ? AND b = ?")
    assert bare.sql == "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM %(_1)s AND b = %(_2)s"


def test_sqlites_json_object_aggregate_becomes_postgresqls() -> None:
    done = translate(
        "SELECT (SELECT json_group_object(name, state) FROM s WHERE k = ?) AS j,"
        " 'json_group_object(' AS literal"
    )
    assert done.sql == (
        "SELECT (SELECT json_object_agg(name, state) FROM s WHERE k = %(_1)s) AS j,"
        " 'json_group_object(' AS literal"
    )


def test_bind_keeps_a_mapping_and_numbers_a_sequence() -> None:
    named: Mapping[str, object] = {"a": 1, "b": None}
    assert bind(translate("SELECT :a, :b"), named) == {"a": 1, "b": None}
    assert bind(translate("SELECT ?, ?"), [True, "x"]) == {"_1": True, "_2": "x"}


# --- Translation never changes a string literal (property) ------------------------------------

_TOKENS = ["?", "?1", ":", "::", ":x", "%", "%s", "%(a)s", "'", "''", "(", ")", "IS ?", "\\", '"']
_TEXT = st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=3)), max_size=6).map("".join)
_CODE = st.sampled_from(
    [
        " = ? ",
        " = ?1 ",
        " , ?2 ",
        " = :name ",
        " IS ? ",
        " IS :flag ",
        " a::text ",
        " id % 2 ",
        " IN (SELECT value FROM json_each(?)) ",
        " IN (SELECT value FROM json_each(:ids)) ",
        " , ",
        " || ",
    ]
)


@st.composite
def statements(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A statement of code fragments and string literals; the literals as written."""
    parts = ["SELECT "]
    written = []
    for _ in range(draw(st.integers(1, 6))):
        parts.append(draw(_CODE))
        literal = "'" + draw(_TEXT).replace("'", "''") + "'"
        written.append(literal)
        parts.append(literal)
    parts.append(draw(_CODE))
    return "".join(parts), written


@given(statements())
def test_translation_never_changes_a_string_literal(case: tuple[str, list[str]]) -> None:
    sql, written = case
    sent = as_psycopg_sends(translate(sql).sql)
    assert literals(sent) == written
    # Outside the literals only placeholders changed: nothing of SQLite's styles is left.
    code = _LITERAL.sub("''", sent)
    assert "?" not in code and not re.search(r"(?<!:):[A-Za-z_]", code)


# --- The same statements on both backends -----------------------------------------------------


def test_literals_and_placeholders_give_the_same_rows_on_both_backends(db_path: DbTarget) -> None:
    assert rows(db_path, "SELECT '?', 'a:b', '50%', 'it''s ?1', ?, ?", 7, "seven") == [
        ("?", "a:b", "50%", "it's ?1", 7, "seven")
    ]
    assert rows(db_path, "SELECT ?2 || ?1, ?2", "a", "b") == [("ba", "b")]


def test_json_each_and_is_select_the_same_rows_on_both_backends(db_path: DbTarget) -> None:
    write(db_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT, note TEXT)")
    write(
        db_path,
        "INSERT INTO t (id, kind, note) VALUES (?, ?, ?)",
        (1, "mood", None),
        (2, "goal_mid", "x"),
        (3, "mood", "y"),
    )
    in_list = "SELECT id FROM t WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
    assert rows(db_path, in_list, json.dumps([3, 1, 9])) == [(1,), (3,)]
    assert rows(db_path, in_list, json.dumps([])) == []
    kinds = "SELECT id FROM t WHERE kind IN (SELECT value FROM json_each(?1)) ORDER BY id"
    assert rows(db_path, kinds, json.dumps(["goal_mid"])) == [(2,)]
    null_safe = "SELECT id FROM t WHERE note IS ? ORDER BY id"
    assert rows(db_path, null_safe, None) == [(1,)]
    assert rows(db_path, null_safe, "y") == [(3,)]


async def test_a_percent_sign_is_kept_with_or_without_parameters(store: SqlStore) -> None:
    """The bot's own connection: a `%` in a literal or as the modulo operator means the same
    whether or not the statement has parameters."""
    with_params = await store.fetch_all("SELECT 'a%b', 7 % 3, ?", (1,))
    assert [tuple(r) for r in with_params] == [("a%b", 1, 1)]
    without = await store.fetch_all("SELECT 'a%b', 7 % 3")
    assert [tuple(r) for r in without] == [("a%b", 1)]
    async with store.transaction() as tx:
        assert [tuple(r) for r in await tx.execute_fetchall("SELECT 'a%b'")] == [("a%b",)]
