ALTER TABLE catalog_items ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
-- The item's current form; 0 while it has none.
ALTER TABLE catalog_items ADD COLUMN form_version INTEGER NOT NULL DEFAULT 0;

-- Every version of every item's form is kept: a request names the version it answered,
-- so editing a form never changes what an earlier request means.
CREATE TABLE catalog_forms (
    item_id    INTEGER NOT NULL REFERENCES catalog_items (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL CHECK (version >= 1),
    schema     TEXT NOT NULL CHECK (json_valid(schema)),
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
) WITHOUT ROWID;

-- What a request's requester answered, against which version of the form (0: the item
-- had no form, so there is no catalog_forms row to point at).
CREATE TABLE request_answers (
    record_id    INTEGER PRIMARY KEY REFERENCES records (id),
    item_id      INTEGER NOT NULL REFERENCES catalog_items (id),
    form_version INTEGER NOT NULL CHECK (form_version >= 0),
    answers      TEXT NOT NULL CHECK (json_valid(answers))
);

-- One submit, one request: a retried POST carries the same key and gets the same record.
CREATE TABLE submissions (
    key        TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    record_id  INTEGER NOT NULL REFERENCES records (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- A plain-form submit that did not pass, kept so the form can show it again with its
-- messages. Read once by its owner, and removed after a day.
CREATE TABLE form_drafts (
    token      TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id    INTEGER NOT NULL REFERENCES catalog_items (id) ON DELETE CASCADE,
    answers    TEXT NOT NULL CHECK (json_valid(answers)),
    errors     TEXT NOT NULL CHECK (json_valid(errors)),
    created_at TEXT NOT NULL
) WITHOUT ROWID;
