-- Comeback schema, version 3: group coaching channels (docs/groups.md).

-- The one settings message of a group, edited in place; a new /group_settings replaces it.
ALTER TABLE groups ADD COLUMN settings_message_id INTEGER;

-- Group check-ins and digests are check_ins rows with user_id NULL and the group's chat_id.
-- "This chat's pending row of this kind" (weekly re-scheduling, settings changes, migration) and
-- "is the message replied to a check-in post?" read this index, never the whole table.
CREATE INDEX check_ins_by_chat ON check_ins(chat_id, kind, status);

-- A digest reads a group's wins of the week; /export and /delete find a person's wins and
-- memberships by user.
CREATE INDEX wins_by_chat ON wins(chat_id, created_at);
CREATE INDEX wins_by_user ON wins(user_id);
CREATE INDEX memberships_by_user ON memberships(user_id);
