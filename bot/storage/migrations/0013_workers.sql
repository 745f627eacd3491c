-- Comeback schema, version 13: several workers on one database (webhook mode, docs/deploy.md).

-- Each chat's updates are handled one at a time, in update_id order, whichever worker holds the
-- chat: a worker takes only the oldest row of a chat (its key: the chat id, else the user id,
-- else the update's own id), and only under that chat's lock.
ALTER TABLE inbox ADD COLUMN chat_key INTEGER;
UPDATE inbox SET chat_key = COALESCE(user_id, update_id);
CREATE INDEX inbox_by_chat ON inbox(chat_key, update_id);

-- The workers alive: each writes its heartbeat every few seconds; the count sets each worker's
-- share of Telegram's message rate. Not about any one person (bot.storage.privacy.NOT_PERSONAL).
CREATE TABLE workers (
    worker_id  TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);

-- Webhook mode: the updates handled in the last day. Telegram sends an update again until it
-- sees it acknowledged (a 200 lost with a killed worker); one that was handled already is
-- acknowledged and not stored a second time. Update ids only: nothing about anyone.
CREATE TABLE inbox_handled (
    update_id  INTEGER PRIMARY KEY,
    handled_at TEXT NOT NULL
);
CREATE INDEX inbox_handled_by_time ON inbox_handled(handled_at);
