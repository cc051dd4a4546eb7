-- An impact analysis steps from the CIs that failed to those relating to them by kind: with
-- the first CI in the index, each step reads the index alone, not each relation's row.
DROP INDEX ci_relations_to;
CREATE INDEX ci_relations_to ON ci_relations (to_id, kind, from_id);
