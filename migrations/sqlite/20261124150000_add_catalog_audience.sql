-- Who may order an item: listed groups and departments; both empty means everyone.
ALTER TABLE catalog_items ADD COLUMN audience TEXT NOT NULL DEFAULT '{"groups":[],"departments":[]}'
    CHECK (json_valid(audience));
