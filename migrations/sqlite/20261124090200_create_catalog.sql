CREATE TABLE catalog_categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    description TEXT NOT NULL DEFAULT '',
    icon        TEXT NOT NULL DEFAULT 'box',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE catalog_items (
    id                  INTEGER PRIMARY KEY,
    category_id         INTEGER NOT NULL REFERENCES catalog_categories (id) ON DELETE RESTRICT,
    slug                TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    summary             TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    icon                TEXT NOT NULL DEFAULT 'box',
    fulfilment_group_id INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX catalog_items_category ON catalog_items (category_id, position);
