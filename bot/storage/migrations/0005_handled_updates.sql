-- Comeback schema, version 5: updates already handled, so one Telegram delivers twice is skipped.

-- python-telegram-bot confirms a batch of updates with its next getUpdates call; a bot killed
-- in between gets the batch again after its restart, and an answer handled before the kill
-- would be handled a second time, as the answer to the next question (seen in the crash soak,
-- docs/reliability.md). Each row is a fingerprint of one update (an HMAC keyed with the bot
-- token: no id, no text, nothing to read back), kept for a day: Telegram keeps unconfirmed
-- updates for 24 hours. Not about any one person (bot.storage.privacy.NOT_PERSONAL).
CREATE TABLE handled_updates (
    fingerprint TEXT PRIMARY KEY,
    handled_at TEXT NOT NULL
);
CREATE INDEX handled_updates_by_time ON handled_updates(handled_at);
