-- A number that moves whenever what an impact analysis reads changes: a relation, a CI's
-- status or class, a class's place in the hierarchy. An analysis is kept for as long as
-- the number stays where it was when the analysis ran.
CREATE TABLE cmdb_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO cmdb_version (id, version) VALUES (1, 0);

CREATE FUNCTION cmdb_version_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cmdb_version SET version = version + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER cmdb_version_relations AFTER INSERT OR UPDATE OR DELETE ON ci_relations
    FOR EACH STATEMENT EXECUTE FUNCTION cmdb_version_moves();
CREATE TRIGGER cmdb_version_ci_changed AFTER UPDATE OF status, class_id ON cis
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.class_id IS DISTINCT FROM NEW.class_id)
    EXECUTE FUNCTION cmdb_version_moves();
CREATE TRIGGER cmdb_version_class_moved AFTER UPDATE OF parent_id, code ON ci_classes
    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id OR OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION cmdb_version_moves();
