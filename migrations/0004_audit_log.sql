-- The audit log: one entry per registry question (asked, then answered) and per delivery to a
-- partner. Personal codes are never stored, only their keyed hash. Entries are hash-chained:
-- each entry's hash covers its content and the hash before it, and audit_head holds the
-- chain's end; every append locks that row first, so that instances sharing one database
-- extend one chain in one order.

CREATE TABLE audit_log (
    seq BIGINT NOT NULL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    caller TEXT NOT NULL,
    institution TEXT NOT NULL,
    officer TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    system TEXT NOT NULL,
    topic TEXT NOT NULL,
    -- asked, answered or delivered.
    event TEXT NOT NULL,
    -- pending for asked; ok or a gap reason for answered; a delivery outcome for delivered.
    outcome TEXT NOT NULL,
    person_hash TEXT NOT NULL,
    -- Whether the person is declared at the applicant's address: yes, no or unknown.
    co_resident TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE INDEX audit_log_person ON audit_log (person_hash, at_ms);

CREATE TABLE audit_head (
    id BIGINT NOT NULL PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'genesis');

-- Where pruning cut the chain: the last pruned entry's seq and hash, from which the rest
-- still verifies.
CREATE TABLE audit_checkpoints (
    seq BIGINT NOT NULL PRIMARY KEY,
    hash TEXT NOT NULL,
    pruned_before_ms BIGINT NOT NULL,
    pruned_at_ms BIGINT NOT NULL
);
