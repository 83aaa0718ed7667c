-- The whole schema, as SQLite has it after its migration 0003 (see migrations/sqlite).
-- Instants are timestamptz; money is integer fen (BIGINT); keys of enums are text.

CREATE TABLE games (
    appid       TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE players (
    appid     TEXT NOT NULL REFERENCES games(appid),
    openid    TEXT NOT NULL,
    nickname  TEXT NOT NULL,
    PRIMARY KEY (appid, openid)
);

CREATE TABLE orders (
    order_no      TEXT PRIMARY KEY,
    appid         TEXT NOT NULL,
    openid        TEXT NOT NULL,
    item          TEXT NOT NULL,
    amount_fen    BIGINT NOT NULL CHECK (amount_fen > 0),
    refunded_fen  BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
    paid_at       TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (appid, openid) REFERENCES players(appid, openid)
);
CREATE INDEX orders_by_player ON orders(appid, openid, paid_at);

-- A launch ticket works once: its nonce is remembered until it would have expired anyway.
CREATE TABLE used_tickets (
    appid       TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (appid, nonce)
);
CREATE INDEX used_tickets_by_expiry ON used_tickets(expires_at);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE case_numbers (
    prefix  TEXT PRIMARY KEY,
    last    BIGINT NOT NULL
);

CREATE TABLE cases (
    case_no            TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    appid              TEXT NOT NULL,
    openid             TEXT NOT NULL,
    state              TEXT NOT NULL,
    details            TEXT NOT NULL,
    claimed_fen        BIGINT NOT NULL,
    submitted_at       TIMESTAMPTZ NOT NULL,
    due_at             TIMESTAMPTZ NOT NULL,
    tracking_key_hash  TEXT NOT NULL
);
CREATE INDEX cases_by_player ON cases(appid, openid, submitted_at);

CREATE TABLE idempotency (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    case_no       TEXT NOT NULL,
    response      TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE TABLE evidence (
    id          TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    media_type  TEXT NOT NULL,
    category    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    case_no     TEXT REFERENCES cases(case_no),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX evidence_by_owner ON evidence(appid, openid, case_no);
CREATE INDEX evidence_by_sha ON evidence(sha256);
CREATE INDEX evidence_by_case ON evidence(case_no);
CREATE INDEX evidence_unattached ON evidence(created_at) WHERE case_no IS NULL;

CREATE TABLE evidence_contents (
    sha256     TEXT PRIMARY KEY,
    pins       BIGINT NOT NULL,
    pinned_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE case_orders (
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    order_no    TEXT NOT NULL REFERENCES orders(order_no),
    amount_fen  BIGINT NOT NULL,
    PRIMARY KEY (case_no, order_no)
);

-- An order may sit in one open case at a time; the primary key makes that hold under races.
CREATE TABLE open_claims (
    order_no  TEXT PRIMARY KEY REFERENCES orders(order_no),
    case_no   TEXT NOT NULL REFERENCES cases(case_no)
);

-- Append-only: every state change of a case, the source of its timeline and of live updates.
CREATE TABLE case_events (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_no  TEXT NOT NULL REFERENCES cases(case_no),
    at       TIMESTAMPTZ NOT NULL,
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    state    TEXT NOT NULL,
    note     TEXT
);
CREATE INDEX case_events_by_case ON case_events(case_no, id);

CREATE TABLE jobs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    run_at        TIMESTAMPTZ NOT NULL,
    attempts      BIGINT NOT NULL,
    last_error    TEXT,
    locked_by     TEXT,
    locked_until  TIMESTAMPTZ,
    unique_key    TEXT UNIQUE,
    done          BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX jobs_due ON jobs(done, run_at);
