-- Status sync: decisions, their outbox, dead letters and the shared partner quota.
-- One file for SQLite and PostgreSQL: only TEXT and BIGINT columns, natural keys, no
-- autoincrement, so the same statements run on both. Times are Unix milliseconds (UTC).

CREATE TABLE status_decisions (
    decision_ref TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The decision as JSON; it names persons, so it never leaves the store but to a partner.
    payload TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (decision_ref, version)
);

-- One row per partner per decision version. state: pending | delivered | superseded | dead.
CREATE TABLE status_outbox (
    decision_ref TEXT NOT NULL,
    version BIGINT NOT NULL,
    partner TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- A claimed row belongs to lease_owner until lease_until; after that anyone may claim it.
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    partner_ref TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    PRIMARY KEY (decision_ref, version, partner)
);

CREATE INDEX status_outbox_due ON status_outbox (partner, state, next_attempt_at);

CREATE TABLE status_dead_letters (
    decision_ref TEXT NOT NULL,
    version BIGINT NOT NULL,
    partner TEXT NOT NULL,
    -- Why delivery stopped: the partner's rejection code or the attempts used up.
    reason TEXT NOT NULL,
    last_error TEXT,
    attempts BIGINT NOT NULL,
    dead_at BIGINT NOT NULL,
    PRIMARY KEY (decision_ref, version, partner)
);

-- Requests sent to a partner per wall-clock second, shared by every gateway instance.
CREATE TABLE partner_quota_windows (
    partner TEXT NOT NULL,
    second BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (partner, second)
);
