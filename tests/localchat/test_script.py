"""`comeback chat --script` and piped stdin: whole transcripts, as a person would read them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.kit.db import rows
from tests.localchat.cli import (
    ANSI,
    ROOT,
    SCRIPTS,
    in_order,
    run_chat,
    start_on_a_monday_morning,
)


def test_a_whole_debrief_from_a_script(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    script = SCRIPTS / "debrief.script"
    tmp_path.chmod(0o755)
    workdir_mode = stat.S_IMODE(tmp_path.stat().st_mode)
    start_on_a_monday_morning(db)
    result = run_chat(tmp_path, "--script", str(script), "--db", str(db), "--name", "Alex")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not ANSI.search(out), "no terminal styles when stdout is not a terminal"
    assert "would refuse" not in out
    assert "# " not in out.split("\n", 1)[0] and "Mood: [b]" not in out  # comments are skipped
    in_order(
        out,
        "you> /start",
        "bot> Hi Alex, I'm Comeback:",
        "Which company was it?",
        "     [a] Skip",
        "you> Acme Corp",
        "What was the role?",
        "you> Backend engineer",
        "How far did you get with Acme Corp?",
        "[c] 💻 Technical test or assignment",
        "you> c",
        "How did you hear the news?",
        "[a] ✉️ Email  [b] 📞 Call",
        "you> a",
        "[a] 1 😞  [b] 2 🙁  [c] 3 😐  [d] 4 🙂  [e] 5 😊",
        "you> b",
        "Would a two-minute grounding exercise help",
        "[b] No thanks, go on",
        "What is one thing that went well?",
        "you> I explained my design clearly",
        "you> Practise live coding under time pressure",
        "ask the hirer for feedback?",
        "[a] Yes, draft it for me",
        "you> Dana",
        "How should I sign it?",
        "you> Alex Morgan",
        "Here is your draft, ready to copy:",
        "Subject: Thanks, and one question",
        "\n         Hi Dana,",  # the <pre> draft, indented under the message
        "Alex Morgan",
        "not a verdict",
        "[a] 📨 I've sent it  [b] I'll send it later",
        "Where do you think it fell short?",
        "[a] ▫️ Technical skills",
        "bot (updated)> Sent. Well done.",
        "[a] ✅ Technical skills",
        "bot (updated)>",
        "[d] ✅ Interviewing skills",
        "you> g",
        "Your SWOT card",
        "Time to refuel. Pick one:",
        "[a] 1  [b] 2  [c] 3",
        "When will you make time for it?",
        "a goal to try again",
        "[b] Do 2 mock interviews",
        "you> 3 mock interviews",  # typed: the number they want, not the suggested one
        "Where are you",
        "you> Berlin",
        "Europe/Berlin",
        "By when?",
        "[b] 2 weeks",
        "bot> Your comeback plan after Acme Corp",
        "Lesson: Practise live coding under time pressure",
        "Gaps: Technical skills, Interviewing skills",
        "Goal: Do 3 mock interviews by",
        "you> /plan",
        "bot> Your comeback plan after Acme Corp",
    )
    # the check-ins the dispatcher sends once the bot's clock is moved on
    after_week = out[out.index("you> :wait 8d") : out.index("you> :press Not yet")]
    assert "(8 days later: it is now" in after_week
    assert "Did they reply?" in after_week or "your goal" in after_week, after_week
    assert "Not yet" in after_week
    in_order(
        out,
        "you> :press Not yet",
        "bot> ",
        "you> :wait 7d",
        "(7 days later: it is now",
        "Deadline day for your goal: Do 3 mock interviews by",
        "[a] ✅ Done  [b] 🌗 Partly",
        "you> b",
        "How many of the 3 have you done so far?",
        "you> 2",
        "2 of 3 by the deadline",
        "[a] Count it: 2 of 3",
        "you> /plan",
        "Goal: Do 3 mock interviews by",
        "(2 of 3 done)",
        "you> /progress",
        "bot> [photo saved to chat-files/",
        "you> /export",
        "bot> [document comeback-export-",
    )
    # Under umask 022 every file the chat wrote is its owner's alone, and so is its folder.
    folder = tmp_path / "chat-files"
    saved = sorted(folder.iterdir())
    assert {p.suffix for p in saved} == {".png", ".json"}
    assert any(p.name == "session.json" for p in saved)
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in [db, *saved]}
    assert set(modes.values()) == {"0o600"}, modes
    assert oct(stat.S_IMODE(folder.stat().st_mode)) == "0o700"
    assert stat.S_IMODE(tmp_path.stat().st_mode) == workdir_mode  # not the chat's: untouched
    assert rows(db, "SELECT company, role, mood, strength, status FROM rejections") == [
        ("Acme Corp", "Backend engineer", 2, None, "completed")  # no strength asked any more
    ]
    assert rows(db, "SELECT kind, target, progress FROM goals") == [("mock_interviews", 3, 2)]


def test_the_docs_demo_reaches_the_goal_check_in_after_eight_days(tmp_path: Path) -> None:
    demo = ROOT / "docs" / "local-chat-demo.txt"
    db = tmp_path / "demo.sqlite3"
    start_on_a_monday_morning(db)
    result = run_chat(tmp_path, "--script", str(demo), "--db", str(db), "--name", "Alex")
    assert result.returncode == 0, result.stderr
    in_order(
        result.stdout,
        "bot> Your comeback plan after Acme",
        "Feedback request: not asked",
        "you> :wait 8d",
        "(8 days later: it is now",
        "Halfway there: Do 3 mock interviews by",
        "[a] ✅ Done  [b] 🌗 Partly",
        "you> b",
        "How many of the 3 have you done so far?",
        "you> 1",
        "1 of 3 done: that counts.",
    )
    assert rows(db, "SELECT progress FROM goals") == [(1,)]


def test_reopening_picks_up_the_debrief_and_its_buttons(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    first = run_chat(tmp_path, "--db", str(db), "--name", "Alex", stdin="/start\nAcme\n")
    assert first.returncode == 0, first.stderr
    assert "What was the role?" in first.stdout

    # stdin is a pipe, not a terminal: it is read like a script
    again = run_chat(tmp_path, "--db", str(db), stdin="# skip the role\na\n")
    assert again.returncode == 0, again.stderr
    in_order(
        again.stdout,
        "(Alex has an unfinished debrief: picking it up)",
        "you> /resume",
        "Let's pick up where we left off with Acme.",
        "What was the role?",
        "[a] Skip",
        "you> a",
        "How far did you get with Acme?",
    )
    session = json.loads((tmp_path / "chat-files" / "session.json").read_text())
    assert session["user"] == "Alex"
    assert rows(db, "SELECT step FROM rejections") == [("stage",)]


def test_local_commands(tmp_path: Path) -> None:
    script = "\n".join(
        [
            ":help",
            ":wait 2h",
            ":wait soon",
            ":bogus",
            "/help",
            ":sticker",
            ":photo my cv",
            ":group",
            "/help",
            ":as Sam",
            "/start",
            "a",
            ":group",
            ":private",
            ":as Alex",
            ":say 42",
            ":quit",
            "/help",
        ]
    )
    result = run_chat(tmp_path, "--db", str(tmp_path / "c.sqlite3"), "--name", "Alex", stdin=script)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    in_order(
        out,
        "you> :help",
        ":wait 3d",
        ":as NAME",
        ":quit",
        "you> :wait 2h",
        "(2 hours later: it is now",
        "(nothing arrived)",
        "you> :wait soon",
        "(usage: :wait 3d",
        "(unknown local command :bogus; :help lists them)",
        "you> /help",
        "/rejected",
        "you> :sticker",
        "I can only read text and buttons.",
        "you> :photo my cv",
        "I can only read text and buttons.",
        "you> :group",
        "(now in Comeback circle (local) with Alex and the bot",
        "you (in the group)> /help",
        "Personal debriefs happen in a private chat",
        "you (in the group)> :as Sam",
        "(you are now Sam",
        "you (Sam, in the group)> /start",
        "[a] Start my private debrief ↗",
        "you (Sam, in the group)> a",
        "(opening your private chat with the bot)",
        "you (Sam)> /start g-4000000042",
        "bot> Hi Sam, I'm Comeback:",
        "you (Sam)> :group",
        "you (Sam, in the group)> :private",
        "(back in your private chat with the bot)",
        "you> :say 42",
        "you> :quit",
    )
    assert out.rstrip().endswith("you> :quit"), "nothing after :quit runs"


def test_no_token_means_the_terminal_chat(tmp_path: Path) -> None:
    result = run_chat(tmp_path, stdin="/help\n", command="")
    assert result.returncode == 0, result.stderr
    assert "no TELEGRAM_BOT_TOKEN set, so chatting here in the terminal" in result.stderr
    in_order(result.stdout, "you> /help", "/rejected")
    assert (tmp_path / "comeback-local.sqlite3").exists()
