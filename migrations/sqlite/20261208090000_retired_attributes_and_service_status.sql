-- An attribute an admin retires leaves its class's form but not the CIs that hold a value
-- for it: the class keeps its definition here, and CI pages show those values as retired.
ALTER TABLE ci_classes ADD COLUMN retired_attributes TEXT NOT NULL DEFAULT '{"fields":[]}'
    CHECK (json_valid(retired_attributes));

-- A business service says what it offers, for the portal's status page.
UPDATE ci_classes SET attributes = '{"fields":[{"key":"description","label":"What it offers","help":"What people use it for, in their words.","required":false,"kind":{"type":"long_text","max_length":1000}},{"key":"service_hours","label":"Service hours","help":"","required":false,"kind":{"type":"text","max_length":120}},{"key":"customer_facing","label":"Customer facing","kind":{"type":"yes_no"}}]}'
WHERE code = 'business_service';

-- The status page asks which CIs open major incidents name; those incidents are few.
CREATE INDEX records_major ON records (updated_at) WHERE major = TRUE;
