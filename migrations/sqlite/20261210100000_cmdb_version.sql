-- A number that moves whenever what an impact analysis reads changes: a relation, a CI's
-- status or class, a class's place in the hierarchy. An analysis is kept for as long as
-- the number stays where it was when the analysis ran.
CREATE TABLE cmdb_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO cmdb_version (id, version) VALUES (1, 0);

CREATE TRIGGER cmdb_version_relation_added AFTER INSERT ON ci_relations
BEGIN
    UPDATE cmdb_version SET version = version + 1;
END;
CREATE TRIGGER cmdb_version_relation_changed AFTER UPDATE ON ci_relations
BEGIN
    UPDATE cmdb_version SET version = version + 1;
END;
CREATE TRIGGER cmdb_version_relation_removed AFTER DELETE ON ci_relations
BEGIN
    UPDATE cmdb_version SET version = version + 1;
END;
CREATE TRIGGER cmdb_version_ci_changed AFTER UPDATE OF status, class_id ON cis
    WHEN OLD.status IS NOT NEW.status OR OLD.class_id IS NOT NEW.class_id
BEGIN
    UPDATE cmdb_version SET version = version + 1;
END;
CREATE TRIGGER cmdb_version_class_moved AFTER UPDATE OF parent_id, code ON ci_classes
    WHEN OLD.parent_id IS NOT NEW.parent_id OR OLD.code IS NOT NEW.code
BEGIN
    UPDATE cmdb_version SET version = version + 1;
END;
