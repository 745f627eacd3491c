-- Comeback schema, version 6: coaching really pauses after a crisis reply.

-- Set when the crisis reply is shown; while set, every check-in of that person is held (left
-- pending, not sent) except the one gentle "How are you today?" check. Cleared only on the
-- person's word: the "Go on" button, "I'm okay" then "Go on", or /resume.
ALTER TABLE users ADD COLUMN safety_hold_since TEXT;

-- What a safety event is, without the words: 'crisis' (help lines shown) or 'group' (shown
-- privately after a message in a group). Safety events are kept SAFETY_EVENT_DAYS days.
ALTER TABLE safety_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'crisis';
CREATE INDEX safety_events_by_time ON safety_events(shown_at);

-- Who was paused by the previous release's in-debrief safety step stays paused, and leaves the
-- step it no longer has: the stored step of their debrief takes over from here.
UPDATE users SET safety_hold_since = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
WHERE id IN (
    SELECT json_extract(key, '$[1]') FROM conversation_states
    WHERE name = 'debrief' AND state = '"safety"');
DELETE FROM conversation_states WHERE name = 'debrief' AND state = '"safety"';

-- Messages whose buttons a press took away, so a second press of the same button (a double tap)
-- is recognised after a restart too. The last few per chat are kept (see bot.storage.buttons).
CREATE TABLE cleared_buttons (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,   -- who pressed (personal: exported and erased with them)
    update_id  INTEGER NOT NULL,   -- the press that cleared them (handled again, it is no double tap)
    cleared_at TEXT    NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- The inbox: every update fetched from Telegram is stored here before the next getUpdates
-- acknowledges it, and its row is removed once it was handled, so an update fetched but not
-- yet handled when the process dies is handled after the restart instead of being lost. An
-- update the safety screen flags is stored without its words (`screened` says what it was).
-- `user_id` makes the rows personal: exported and erased with the person (bot.storage.privacy).
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    user_id     INTEGER,
    payload     TEXT    NOT NULL,   -- the update as Telegram sent it (JSON)
    screened    TEXT,               -- 'crisis' or 'check' when the words were left out
    received_at TEXT    NOT NULL
);
-- The newest update_id ever stored: the next getUpdates offset, so Telegram never hands back
-- an update that was stored (and perhaps handled and removed) before a restart.
CREATE TABLE inbox_watermark (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    update_id INTEGER NOT NULL,
    stored_at TEXT    NOT NULL
);
-- Superseded by the inbox: updates are no longer redelivered, so their fingerprints are not kept.
DROP TABLE handled_updates;

-- The update whose handling last moved a debrief (its step, or its gap choices): an update
-- handled again after a crash (from the inbox) that finds its own id here was applied already,
-- so the debrief asks its current question again instead of taking the answer twice.
ALTER TABLE rejections ADD COLUMN last_update_id INTEGER;

-- The update whose button press answered a check-in: the same press handled again after a crash
-- (from the inbox) goes on to what the answer leads to, instead of "already answered".
ALTER TABLE check_ins ADD COLUMN answered_by_update INTEGER;
