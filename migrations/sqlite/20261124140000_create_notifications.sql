-- In-portal notifications: approvals needed, decisions, replies from the desk, fulfilment.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    record_id  INTEGER NOT NULL REFERENCES records (id),
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
