-- Comeback schema, version 1: the whole coaching mission.
-- Times are UTC ISO-8601 text ('YYYY-MM-DDTHH:MM:SS+00:00'); calendar dates are 'YYYY-MM-DD'
-- in the user's own time zone.

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,             -- Telegram user id
    first_name       TEXT    NOT NULL DEFAULT '',
    language         TEXT,
    timezone         TEXT,                            -- zone name; NULL until the user tells us
    checkin_hour     INTEGER NOT NULL DEFAULT 18 CHECK (checkin_hour BETWEEN 0 AND 23),
    quiet_start      INTEGER NOT NULL DEFAULT 22 CHECK (quiet_start BETWEEN 0 AND 23),
    quiet_end        INTEGER NOT NULL DEFAULT 8  CHECK (quiet_end BETWEEN 0 AND 23),
    checkins_enabled INTEGER NOT NULL DEFAULT 1,
    paused_until     TEXT,
    active           INTEGER NOT NULL DEFAULT 1,      -- 0 after "bot was blocked by the user"
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- One row per rejection the user debriefs; the debrief's answers live on the same row.
CREATE TABLE rejections (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company        TEXT,
    role           TEXT,
    stage          TEXT,
    how_heard      TEXT,
    rejected_on    TEXT    NOT NULL,
    mood           INTEGER CHECK (mood BETWEEN 1 AND 5),
    went_well      TEXT,
    lesson         TEXT,
    gaps           TEXT    NOT NULL DEFAULT '[]',     -- JSON list of gap keys
    strength       TEXT,
    status         TEXT    NOT NULL DEFAULT 'in_progress'
                   CHECK (status IN ('in_progress', 'completed', 'cancelled')),
    step           TEXT    NOT NULL,                  -- the debrief step to resume at
    source_chat_id INTEGER,                           -- the group a member came from, if any
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    completed_at   TEXT
);
CREATE INDEX rejections_by_user ON rejections(user_id, id);

-- Moods over time: at each debrief and each check-in that asks.
CREATE TABLE moods (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rejection_id INTEGER REFERENCES rejections(id) ON DELETE CASCADE,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    source       TEXT    NOT NULL,                    -- 'debrief' | 'checkin'
    recorded_at  TEXT    NOT NULL
);
CREATE INDEX moods_by_user ON moods(user_id, recorded_at);

CREATE TABLE feedback_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    rejection_id  INTEGER NOT NULL UNIQUE REFERENCES rejections(id) ON DELETE CASCADE,
    status        TEXT    NOT NULL DEFAULT 'drafting'
                  CHECK (status IN ('drafting', 'drafted', 'sent', 'already_asked', 'skipped',
                                    'replied', 'no_reply', 'closed')),
    recipient     TEXT,
    channel       TEXT,
    tone          TEXT,
    personal_line TEXT,
    subject       TEXT,
    body          TEXT,
    sent_at       TEXT,                               -- what the "did they reply?" check-in needs
    reply_text    TEXT,
    replied_at    TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

-- Concrete next actions on a plan: from the gaps, or from the hirer's feedback.
CREATE TABLE plan_actions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    rejection_id INTEGER NOT NULL REFERENCES rejections(id) ON DELETE CASCADE,
    source       TEXT    NOT NULL,                    -- 'gap' | 'feedback'
    gap          TEXT,
    text         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX plan_actions_by_rejection ON plan_actions(rejection_id);

CREATE TABLE resource_picks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    rejection_id INTEGER NOT NULL REFERENCES rejections(id) ON DELETE CASCADE,
    resource_id  TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    planned_for  TEXT,                                -- local date
    takeaway     TEXT,
    created_at   TEXT    NOT NULL
);
CREATE INDEX resource_picks_by_rejection ON resource_picks(rejection_id);

CREATE TABLE goals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rejection_id INTEGER REFERENCES rejections(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    target       INTEGER CHECK (target IS NULL OR target BETWEEN 1 AND 100),
    custom_text  TEXT,
    deadline     TEXT,                                -- local date
    progress     INTEGER NOT NULL DEFAULT 0,
    not_yet_count INTEGER NOT NULL DEFAULT 0,
    status       TEXT    NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'active', 'done', 'replaced', 'abandoned')),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    completed_at TEXT
);
CREATE INDEX goals_by_user ON goals(user_id, status);

-- The single source of truth for every scheduled message. The dispatcher claims due rows
-- (status 'pending' -> 'claimed') before sending, so two dispatch runs never send one twice.
CREATE TABLE check_ins (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER REFERENCES users(id) ON DELETE CASCADE,
    chat_id      INTEGER NOT NULL,                    -- private chat or group
    kind         TEXT    NOT NULL,
    goal_id      INTEGER REFERENCES goals(id) ON DELETE CASCADE,
    rejection_id INTEGER REFERENCES rejections(id) ON DELETE CASCADE,
    due_at       TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'claimed', 'sent', 'answered', 'superseded',
                                   'cancelled', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    claimed_at   TEXT,
    sent_at      TEXT,
    message_id   INTEGER,
    answer       TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX check_ins_due ON check_ins(status, due_at);
CREATE INDEX check_ins_by_user ON check_ins(user_id, status);

CREATE TABLE groups (
    chat_id          INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL DEFAULT '',
    kind             TEXT    NOT NULL DEFAULT 'group',  -- 'group' | 'supergroup'
    timezone         TEXT,
    checkin_weekday  INTEGER NOT NULL DEFAULT 0 CHECK (checkin_weekday BETWEEN 0 AND 6),
    checkin_hour     INTEGER NOT NULL DEFAULT 10 CHECK (checkin_hour BETWEEN 0 AND 23),
    theme            TEXT    NOT NULL DEFAULT 'win_lesson_step',
    with_poll        INTEGER NOT NULL DEFAULT 0,
    digest_enabled   INTEGER NOT NULL DEFAULT 1,
    anonymous_wins   INTEGER NOT NULL DEFAULT 1,
    topic_id         INTEGER,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE memberships (
    chat_id    INTEGER NOT NULL REFERENCES groups(chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sharing    TEXT    NOT NULL CHECK (sharing IN ('named', 'anonymous', 'receive_only')),
    joined_at  TEXT    NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE wins (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER NOT NULL REFERENCES groups(chat_id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    anonymous  INTEGER NOT NULL,
    created_at TEXT    NOT NULL
);

-- The fact that the safety reply was shown (never the words that triggered it).
CREATE TABLE safety_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    shown_at TEXT    NOT NULL
);

-- python-telegram-bot conversation states (BasePersistence), keyed by handler name and key.
CREATE TABLE conversation_states (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,                              -- JSON array, e.g. [chat_id, user_id]
    state TEXT NOT NULL,                              -- JSON
    PRIMARY KEY (name, key)
);
