-- The store's portable shape (the same tables as migrations/postgres):
-- * instants become integer microseconds since the epoch; as RFC 3339 text they compared
--   as text, which breaks for years outside 0000-9999 (an `exp` written in milliseconds);
-- * tracking keys are random and only their hash is kept (no derivation counter);
-- * idempotency records get a table of their own, which keeps the answer for retries;
-- * evidence contents are pinned in a table, so deleting and re-uploading the same bytes
--   cannot race;
-- * a durable job queue.
-- SQLite cannot change a column's type, so tables are rebuilt: each is copied aside,
-- dropped and created again under its own name, so that the rows referring to it find it
-- again. The migration runs in one transaction; foreign keys are checked at its commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE games_copy AS SELECT appid, name, secret, CAST(strftime('%s', created_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', created_at), 4, 3) AS INTEGER) * 1000 FROM games;
DROP TABLE games;
CREATE TABLE games (
    appid       TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
INSERT INTO games SELECT * FROM games_copy;
DROP TABLE games_copy;

CREATE TABLE orders_copy AS SELECT order_no, appid, openid, item, amount_fen, refunded_fen, CAST(strftime('%s', paid_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', paid_at), 4, 3) AS INTEGER) * 1000 FROM orders;
DROP TABLE orders;
CREATE TABLE orders (
    order_no      TEXT PRIMARY KEY,
    appid         TEXT NOT NULL,
    openid        TEXT NOT NULL,
    item          TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    refunded_fen  INTEGER NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
    paid_at       INTEGER NOT NULL,
    FOREIGN KEY (appid, openid) REFERENCES players(appid, openid)
);
INSERT INTO orders SELECT * FROM orders_copy;
DROP TABLE orders_copy;
CREATE INDEX orders_by_player ON orders(appid, openid, paid_at);

-- A nonce whose expiry cannot be read (a year past 9999) is kept for a day.
CREATE TABLE used_tickets_copy AS SELECT appid, nonce, COALESCE(CAST(strftime('%s', expires_at) AS INTEGER), CAST(strftime('%s', 'now', '+1 day') AS INTEGER)) * 1000000 FROM used_tickets;
DROP TABLE used_tickets;
CREATE TABLE used_tickets (
    appid       TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (appid, nonce)
);
INSERT INTO used_tickets SELECT * FROM used_tickets_copy;
DROP TABLE used_tickets_copy;
CREATE INDEX used_tickets_by_expiry ON used_tickets(expires_at);

CREATE TABLE sessions_copy AS SELECT token_hash, appid, openid, CAST(strftime('%s', expires_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', expires_at), 4, 3) AS INTEGER) * 1000, CAST(strftime('%s', created_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', created_at), 4, 3) AS INTEGER) * 1000 FROM sessions;
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
INSERT INTO sessions SELECT * FROM sessions_copy;
DROP TABLE sessions_copy;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE idempotency (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    case_no       TEXT NOT NULL,
    response      TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
-- Earlier submissions keep their keys; their answers were never kept (a retry gets a new
-- tracking key).
INSERT INTO idempotency SELECT 'player:' || appid || ':' || openid, idempotency_key, request_hash, case_no, NULL,
    CAST(strftime('%s', submitted_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', submitted_at), 4, 3) AS INTEGER) * 1000
    FROM cases;

CREATE TABLE cases_copy AS SELECT case_no, kind, appid, openid, state, details, claimed_fen, CAST(strftime('%s', submitted_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', submitted_at), 4, 3) AS INTEGER) * 1000, CAST(strftime('%s', due_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', due_at), 4, 3) AS INTEGER) * 1000, tracking_key_hash FROM cases;
DROP TABLE cases;
CREATE TABLE cases (
    case_no            TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    appid              TEXT NOT NULL,
    openid             TEXT NOT NULL,
    state              TEXT NOT NULL,
    details            TEXT NOT NULL,
    claimed_fen        INTEGER NOT NULL,
    submitted_at       INTEGER NOT NULL,
    due_at             INTEGER NOT NULL,
    tracking_key_hash  TEXT NOT NULL
);
INSERT INTO cases SELECT * FROM cases_copy;
DROP TABLE cases_copy;
CREATE INDEX cases_by_player ON cases(appid, openid, submitted_at);

CREATE TABLE evidence_copy AS SELECT id, sha256, size, media_type, category, file_name, appid, openid, case_no, CAST(strftime('%s', created_at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', created_at), 4, 3) AS INTEGER) * 1000 FROM evidence;
DROP TABLE evidence;
CREATE TABLE evidence (
    id          TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    category    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    case_no     TEXT REFERENCES cases(case_no),
    created_at  INTEGER NOT NULL
);
INSERT INTO evidence SELECT * FROM evidence_copy;
DROP TABLE evidence_copy;
CREATE INDEX evidence_by_owner ON evidence(appid, openid, case_no);
CREATE INDEX evidence_by_sha ON evidence(sha256);
CREATE INDEX evidence_by_case ON evidence(case_no);
CREATE INDEX evidence_unattached ON evidence(created_at) WHERE case_no IS NULL;

CREATE TABLE evidence_contents (
    sha256     TEXT PRIMARY KEY,
    pins       INTEGER NOT NULL,
    pinned_at  INTEGER NOT NULL
);
INSERT INTO evidence_contents SELECT DISTINCT sha256, 0, CAST(strftime('%s', 'now') AS INTEGER) * 1000000 FROM evidence;

CREATE TABLE case_events_copy AS SELECT id, case_no, CAST(strftime('%s', at) AS INTEGER) * 1000000 + CAST(substr(strftime('%f', at), 4, 3) AS INTEGER) * 1000, actor, kind, state, note FROM case_events;
DROP TABLE case_events;
CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no  TEXT NOT NULL REFERENCES cases(case_no),
    at       INTEGER NOT NULL,
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    state    TEXT NOT NULL,
    note     TEXT
);
INSERT INTO case_events SELECT * FROM case_events_copy;
DROP TABLE case_events_copy;
CREATE INDEX case_events_by_case ON case_events(case_no, id);

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    run_at        INTEGER NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT,
    locked_by     TEXT,
    locked_until  INTEGER,
    unique_key    TEXT UNIQUE,
    done          INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(done, run_at);
