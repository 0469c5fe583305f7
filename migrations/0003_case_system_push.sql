-- Pushing the delivery feed to the case system: how far each consumer has been told (the
-- position of the last change it acknowledged), and the changes it refused for good.

CREATE TABLE feed_cursors (
    consumer TEXT NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL
);

CREATE TABLE feed_dead_letters (
    consumer TEXT NOT NULL,
    position BIGINT NOT NULL,
    -- The receiver's refusal, e.g. rejected:http-400.
    reason TEXT NOT NULL,
    dead_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, position)
);
