-- Comeback schema, version 15: the inbox's newest row is the polling watermark.

-- A handled update's row is emptied (no words, no person, no chat) instead of removed, and
-- removed only behind a newer batch (bot.storage.inbox): the newest row, handled or not, is
-- where polling goes on after a restart, so storing a batch moves the watermark too.
ALTER TABLE inbox ADD COLUMN handled INTEGER NOT NULL DEFAULT 0;
INSERT INTO inbox (update_id, user_id, payload, screened, received_at, chat_key, handled)
    SELECT update_id, NULL, '{}', NULL, stored_at, NULL, 1 FROM inbox_watermark
    WHERE NOT EXISTS (SELECT 1 FROM inbox WHERE inbox.update_id >= inbox_watermark.update_id);
DROP TABLE inbox_watermark;
