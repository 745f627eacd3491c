-- Comeback schema, version 2: what the check-in dispatcher and conversations need.

-- The user's calendar day a check-in belongs to ('YYYY-MM-DD' in their zone). Due times are
-- recomputed from it (plus the preferred hour) when the zone, hour or quiet hours change.
ALTER TABLE check_ins ADD COLUMN local_date TEXT;

-- Hot queries: "newest due row of this user" while claiming, a goal's or a debrief's pending
-- check-ins when rescheduling or cancelling. (user_id, status, due_at) replaces (user_id, status).
CREATE INDEX check_ins_by_user_due ON check_ins(user_id, status, due_at);
DROP INDEX check_ins_by_user;
CREATE INDEX check_ins_by_goal ON check_ins(goal_id, status);
CREATE INDEX check_ins_by_rejection ON check_ins(rejection_id, kind, status);

-- Which check-in a user is answering in words right now ("how many?", the pasted feedback, a
-- takeaway, a new goal): the conversation state says *what* is asked, this row says *about what*.
CREATE TABLE checkin_focus (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    checkin_id INTEGER NOT NULL REFERENCES check_ins(id) ON DELETE CASCADE,
    goal_id    INTEGER REFERENCES goals(id) ON DELETE CASCADE,  -- a goal being changed or drafted
    updated_at TEXT    NOT NULL
);
