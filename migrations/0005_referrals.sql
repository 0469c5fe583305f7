-- DigiSoc: referrals to service providers, the execution reports providers enter, the
-- invoices they send, and one outbox for every kind of outgoing message.
--
-- The outbox and its dead letters were the status decisions' own; they now carry every
-- message the gateway sends, told apart by `kind` (status_decision | referral). Their rows
-- still key on (decision_ref, version, partner): for a referral, decision_ref holds the
-- referral's reference and the partner is digisoc.
ALTER TABLE status_outbox RENAME TO outbox;
ALTER TABLE status_dead_letters RENAME TO dead_letters;
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'status_decision';

CREATE TABLE referrals (
    referral_ref TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The referral as JSON; it names a person, so it never leaves the store but to DigiSoc.
    payload TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (referral_ref, version)
);

-- Every revision of every report, once: a higher revision supersedes a lower one in the
-- reconciliation, and the lower one is kept.
CREATE TABLE execution_reports (
    report_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    month TEXT NOT NULL,
    provider TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (report_id, revision)
);

CREATE INDEX execution_reports_by_month ON execution_reports (month, provider);

-- Where each incremental pull goes on from; saved in the transaction of the page it follows.
CREATE TABLE pull_cursors (
    source TEXT NOT NULL PRIMARY KEY,
    position TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Providers' invoices, one row per provider, month, person and service; a later import of the
-- same key replaces the amount.
CREATE TABLE invoices (
    provider TEXT NOT NULL,
    month TEXT NOT NULL,
    person TEXT NOT NULL,
    service TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    source TEXT NOT NULL,
    line BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (provider, month, person, service)
);

CREATE INDEX invoices_by_month ON invoices (month, provider);
