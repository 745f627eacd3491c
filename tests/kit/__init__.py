"""Shared test helpers. Tests import from here, never from another test module or conftest.

- running: the real Application against the fake Telegram (`RunningBot`, `started`), the test
  token (`TOKEN`, `TOKEN_SECRET`), the clock's `START`, `token_leaks`, `assert_nothing_exposed`.
- process: `python -m bot` as a real process (`bot_env`, `run_cli`, `start_bot`).
- chat: what a user saw (`texts`, `last_text`).
- db: the database (a SQLite file or a PostgreSQL URL) read and written by a connection of the
  test's own (`rows`, `dict_rows`, `write`, `table_names`), a second `open_store`, `url_of` and
  `target_of` between a target and DATABASE_URL.
- walks: a person walked through the debrief (`walk_to_feedback`, `complete_debrief`).
- checkins: a finished debrief straight in the database (`finish_debrief`), waiting on messages
  (`arrives`, `with_text`), times and the clock (`local`, `sent_at`, `move_to`, `advance`).
- progress: whole debriefs through the bot or seeded (`debrief_through_bot`, `seed_debrief`),
  stage labels, `png_size`, `today`.
- groups: a cohort's group (`Cohort`, `club`, `add_bot`, `join`, `press`, `settle`,
  `group_texts`, the posts sent and due) and its constants.
- faults: faults in the live database (`read_only`, `disk_full`, `pragma`), conversation state,
  `error_records`, `assert_no_leak`, the fault replies (`UNAVAILABLE`, `OOPS`).
- safety_eval: the crisis screen's labelled evaluation set (`LINES`, `Line`, `load`).
- webhooks: a webhook receiver on loopback that records what the fake Telegram POSTs
  (`WebhookReceiver`: scripted answers, holding requests, peak in flight) and `refused_url`.

tests/__init__.py registers this package for pytest's assertion rewriting.
"""
