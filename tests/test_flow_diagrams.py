"""The flow diagrams in docs/flows/ say what the code does.

Each `docs/flows/<flow>.mmd` is a Mermaid flowchart of `conversations/<flow>.py`. The
convention, stated at the top of each diagram: a node id in CAPITALS is a member of the flow's
`State` enum; lowercase ids are entry points, messages, actions and decisions outside the
conversation states; `END` is the end of the conversation. So for every diagram, every State
member is a node and every capitalised node is a State member (or END); a flow without a State
enum (crisis, group) has no capitalised nodes.

The debrief is checked edge by edge against its step table (conversations/debrief_steps.py):
from each step, the arrows (followed through lowercase nodes, which are not steps) reach
exactly the steps its record can lead to: `next`, every target of a `Branch` (answers and
skips alike), and its `jumps`; `END` where `next` is None. /back, /cancel and crisis replies
are not drawn as arrows between steps.

The Mermaid read here is the subset the diagrams use: `flowchart`, `%%` comments, node shapes
(`id[..]`, `id(..)`, `id([..])`, `id{..}`, `id((..))`, `id[(..)]`, quoted labels), and arrows
`-->`, `-.->`, `==>`, `---` with `-->|label|` or `-- "label" -->` labels, chained. Any other
line fails the test, so nothing is skipped silently.
"""

from __future__ import annotations

import importlib
import re
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pytest

from conversations.debrief_steps import FIRST, RETIRED, STEP, STEPS, Branch, State

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "docs" / "flows"
END = "END"
ENTRY = "entry"

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ARROW = re.compile(
    r"""\s*(?:
        (?:-->|-\.->|==>|---)\s*\|[^|]*\|   # A -->|label| B
      | --\s*"[^"]*"\s*-->                  # A -- "label" --> B
      | -\.\s*"[^"]*"\s*\.->                # A -. "label" .-> B
      | ==\s*"[^"]*"\s*==>                  # A == "label" ==> B
      | -->|-\.->|==>|---                   # A --> B
    )\s*""",
    re.VERBOSE,
)
_OPEN = "[({"
_CLOSE = "])}"


@dataclass
class Diagram:
    """The nodes and edges of a Mermaid flowchart."""

    nodes: set[str] = field(default_factory=set)
    edges: set[tuple[str, str]] = field(default_factory=set)

    def successors(self, node: str) -> set[str]:
        return {b for a, b in self.edges if a == node}


def _skip_shape(line: str, pos: int) -> int:
    """The position after a node's shape and label starting at `pos` (if any)."""
    if pos >= len(line) or line[pos] not in _OPEN:
        return pos
    depth, quoted = 0, False
    for index in range(pos, len(line)):
        char = line[index]
        if quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth == 0:
                return index + 1
    raise ValueError(f"unclosed node label: {line[pos:]!r}")


def _node(line: str, pos: int) -> tuple[str, int]:
    found = _ID.match(line, pos)
    if found is None:
        raise ValueError(f"expected a node at {line[pos:]!r}")
    return found.group(), _skip_shape(line, found.end())


def parse(text: str) -> Diagram:
    """Read a flowchart (the subset described above); raise on any other line."""
    diagram = Diagram()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("%%") or re.fullmatch(r"(flowchart|graph) \w+", line):
            continue
        try:
            source, pos = _node(line, 0)
            diagram.nodes.add(source)
            while pos < len(line):
                arrow = _ARROW.match(line, pos)
                if arrow is None:
                    raise ValueError(f"expected an arrow at {line[pos:]!r}")
                target, pos = _node(line, arrow.end())
                diagram.nodes.add(target)
                diagram.edges.add((source, target))
                source = target
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
    return diagram


def diagram_of(flow: str) -> Diagram:
    return parse((FLOWS / f"{flow}.mmd").read_text(encoding="utf-8"))


def capitalised(diagram: Diagram) -> set[str]:
    """The node ids that name states (or END)."""
    return {node for node in diagram.nodes if node.isupper()}


def reached(diagram: Diagram, start: str) -> set[str]:
    """The states (and END) the arrows from `start` reach, through lowercase nodes only."""
    found: set[str] = set()
    seen = {start}
    queue = deque(diagram.successors(start))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        if node.isupper():
            found.add(node)
        else:
            queue.extend(diagram.successors(node))
    return found


def table_edges() -> dict[str, set[str]]:
    """From each step, the names of the steps it may lead to (END for the finish)."""
    return {
        step.state.name: {END if t is None else t.name for t in step.targets()} for step in STEPS
    }


# --- The parser reads what the diagrams use ------------------------------------------------------


def test_the_parser_reads_shapes_labels_and_chains() -> None:
    diagram = parse(
        "%% a comment\n"
        "flowchart TD\n"
        '    a(["start · (x)"]) --> B[B<br/>1-5] -->|"yes"| c{c?}\n'
        '    c -- "no [really]" --> D["D (d)"]\n'
        '    c -.-> E((E)) -. "later" .-> END([END])\n'
        "    D ==> a\n"
    )
    assert diagram.nodes == {"a", "B", "c", "D", "E", END}
    assert diagram.edges == {
        ("a", "B"), ("B", "c"), ("c", "D"), ("c", "E"), ("E", END), ("D", "a"),
    }  # fmt: skip
    assert reached(diagram, "B") == {"D", "E"}


def test_the_parser_refuses_what_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse("flowchart TD\n    A --> B & C\n")
    with pytest.raises(ValueError, match="unclosed"):
        parse("A[label --> B\n")


# --- The debrief: the table ----------------------------------------------------------------------


def test_the_debrief_table_has_every_state_once_with_its_own_code() -> None:
    states = [step.state for step in STEPS]
    assert len(states) == len(set(states)) and set(states) == set(State)
    codes = [step.code for step in STEPS]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]{2}", code) for code in codes)


def test_every_debrief_step_accepts_an_answer_and_leads_somewhere() -> None:
    for step in STEPS:
        assert step.text or step.buttons, f"{step.state} accepts neither text nor buttons"
        assert step.state not in step.targets(), f"{step.state} leads to itself"
        back = step.back.targets if isinstance(step.back, Branch) else (step.back,)
        assert step.state not in back, f"/back from {step.state} stays there"
    for step in STEPS:
        for target in step.targets():
            assert target is None or target in STEP


def test_every_debrief_step_is_reached_from_the_first_and_reaches_the_end() -> None:
    edges = table_edges()
    seen, queue = {FIRST.name}, [FIRST.name]
    while queue:
        for target in edges.get(queue.pop(), set()) - seen:
            seen.add(target)
            queue.append(target)
    # Retired steps are reached only by a debrief stored there before an upgrade.
    assert seen == {s.name for s in State if s not in RETIRED} | {END}
    assert not {s.name for s in RETIRED} & seen, "a retired step is still led to"
    leading_to_end = {END}
    while True:
        more = {s for s, targets in edges.items() if targets & leading_to_end} - leading_to_end
        if not more:
            break
        leading_to_end |= more
    assert leading_to_end == {s.name for s in State} | {END}


# --- The debrief: the diagram against the table ------------------------------------------------


def test_the_debrief_diagram_names_every_state_and_only_states() -> None:
    diagram = diagram_of("debrief")
    assert capitalised(diagram) == {s.name for s in State} | {END}


def test_the_debrief_diagram_has_exactly_the_edges_of_the_table() -> None:
    diagram = diagram_of("debrief")
    drawn = {state.name: reached(diagram, state.name) for state in State}
    missing = sorted((a, b) for a, targets in table_edges().items() for b in targets - drawn[a])
    extra = sorted((a, b) for a, targets in drawn.items() for b in targets - table_edges()[a])
    assert not missing, f"edges of the table missing from docs/flows/debrief.mmd: {missing}"
    assert not extra, f"edges in docs/flows/debrief.mmd the table does not have: {extra}"


def test_the_debrief_diagram_enters_at_the_first_step() -> None:
    assert reached(diagram_of("debrief"), ENTRY) == {FIRST.name, END}


# --- Every flow: its states are its capitalised nodes --------------------------------------------


def _state_enum(flow: str) -> type[Enum] | None:
    module = importlib.import_module(f"conversations.{flow}")
    found = getattr(module, "State", None)
    return found if isinstance(found, type) and issubclass(found, Enum) else None


DIAGRAMS = sorted(path.stem for path in FLOWS.glob("*.mmd"))


@pytest.mark.parametrize("flow", DIAGRAMS)
def test_a_diagrams_capitalised_nodes_are_its_flows_states(flow: str) -> None:
    assert (ROOT / "conversations" / f"{flow}.py").is_file(), f"no conversations/{flow}.py"
    states = _state_enum(flow)
    names = {member.name for member in states} if states else set()
    nodes = capitalised(diagram_of(flow)) - {END}
    assert not names - nodes, f"{flow}.State members missing from the diagram: {names - nodes}"
    assert not nodes - names, (
        f"capitalised nodes that are not {flow}.State members: {nodes - names}"
    )


def test_every_flow_with_states_has_a_diagram() -> None:
    """Every State enum under conversations/ (debrief.State lives in debrief_steps.py) is the
    State of a flow with a diagram."""
    modules = sorted(p.stem for p in (ROOT / "conversations").glob("*.py") if p.stem[0] != "_")
    enums = {enum for flow in modules if (enum := _state_enum(flow)) is not None}
    drawn = {enum for flow in DIAGRAMS if (enum := _state_enum(flow)) is not None}
    assert len(enums) >= 3, "hardly any State enum found: the check is looking in the wrong place"
    assert enums <= drawn, f"flows without a diagram: {sorted(e.__module__ for e in enums - drawn)}"
