-- Comeback schema, version 10: what happened next.

-- The person records "applied again", "got an interview", "got an offer" (/outcome, and buttons
-- on check-ins and /plan). An interview may carry its date (the local day), which brings a
-- preparation check-in the day before. `goal_id` is the goal the record ended or moved on.
CREATE TABLE outcomes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('applied', 'interview', 'offer')),
    goal_id    INTEGER REFERENCES goals(id) ON DELETE SET NULL,
    company    TEXT,
    event_on   TEXT,                                  -- local date of the interview, if known
    -- The update that recorded it: handled again after a crash, it records nothing twice.
    update_id  INTEGER,
    created_at TEXT    NOT NULL
);
CREATE INDEX outcomes_by_user ON outcomes(user_id, created_at);
CREATE UNIQUE INDEX outcomes_by_update ON outcomes(user_id, update_id);
