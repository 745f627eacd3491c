-- Comeback schema, version 14: the language the bot speaks with a person, and in a group.

-- 'en', 'es' or 'ru' (coaching/language.py). Set at first contact from Telegram's language_code
-- (kept in `language`, which also hints at help lines) and changed only with /language after
-- that. People who wrote before this version: from the language_code they last wrote with.
ALTER TABLE users ADD COLUMN locale TEXT;
UPDATE users SET locale = CASE
    WHEN lower(substr(language, 1, 2)) IN ('es', 'ru') THEN lower(substr(language, 1, 2))
    ELSE 'en'
END;

-- A group's language, set by an admin in /group_settings: its weekly posts, digests and replies
-- in the group. A new group starts in the language of the person who added the bot.
ALTER TABLE groups ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
