-- Comeback schema, version 12: the name that signs a feedback request.

-- Asked once, when the person's first draft is made (the debrief step 'feedback_signoff'), and
-- not again once set. NULL: never given (or skipped): the draft ends without a name, never with
-- the Telegram first name, which may not be the name they use at work.
ALTER TABLE users ADD COLUMN signoff_name TEXT;
