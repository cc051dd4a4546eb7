-- People who follow a record without having raised it: they may read it and its public
-- timeline, like the requester.
CREATE TABLE record_watchers (
    record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, user_id)
) WITHOUT ROWID;
CREATE INDEX record_watchers_user ON record_watchers (user_id);
