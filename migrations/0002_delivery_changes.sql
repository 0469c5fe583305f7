-- Delivery receipts: every change of a delivery's state (delivered, dead-lettered, superseded,
-- retried by an operator), in the order the changes were committed, for the case system's feed.
-- Positions come from one counter row that every recording transaction locks first: a change
-- committed later can never take a position before one already visible.

CREATE TABLE delivery_changes (
    position BIGINT NOT NULL PRIMARY KEY,
    decision_ref TEXT NOT NULL,
    version BIGINT NOT NULL,
    partner TEXT NOT NULL,
    -- delivered | dead | superseded | retried
    state TEXT NOT NULL,
    partner_ref TEXT,
    changed_at BIGINT NOT NULL
);

CREATE INDEX delivery_changes_by_decision ON delivery_changes (decision_ref, version);

CREATE TABLE delivery_change_counter (
    id BIGINT NOT NULL PRIMARY KEY,
    last BIGINT NOT NULL
);

INSERT INTO delivery_change_counter (id, last) VALUES (1, 0);
