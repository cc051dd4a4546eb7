-- A catalog item can be an offering of a business service: the service's page lists it,
-- with the service-level policy that covers its requests.
ALTER TABLE catalog_items ADD COLUMN service_id INTEGER REFERENCES cis (id);
CREATE INDEX catalog_items_service ON catalog_items (service_id) WHERE service_id IS NOT NULL;
