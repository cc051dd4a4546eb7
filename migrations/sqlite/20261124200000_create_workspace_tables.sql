-- Queues an agent saved under a name: the queue page's query string, without a cursor.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    query      TEXT NOT NULL CHECK (length(query) <= 2000),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);

-- Links between records, read from both ends. `parent_of`: `from_id` is the parent of
-- `to_id`. `caused_by`: `from_id` was caused by `to_id`. `relates_to` has no direction.
CREATE TABLE record_links (
    from_id    INTEGER NOT NULL REFERENCES records (id),
    to_id      INTEGER NOT NULL REFERENCES records (id),
    kind       TEXT NOT NULL CHECK (kind IN ('relates_to', 'parent_of', 'caused_by')),
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id, kind),
    CHECK (from_id <> to_id)
) WITHOUT ROWID;
CREATE INDEX record_links_to ON record_links (to_id);
-- A record has at most one parent.
CREATE UNIQUE INDEX record_links_one_parent ON record_links (to_id) WHERE kind = 'parent_of';

-- Files on a record. The bytes live under the data dir, named by their SHA-256, so the same
-- file attached twice is stored once.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    record_id    INTEGER NOT NULL REFERENCES records (id),
    file_name    TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    uploaded_by  INTEGER NOT NULL REFERENCES users (id),
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX attachments_record ON attachments (record_id);

-- Replies the desk sends often, kept by admins, inserted into a reply by agents.
CREATE TABLE canned_responses (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL UNIQUE CHECK (length(title) BETWEEN 1 AND 80),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    updated_at TEXT NOT NULL
);
