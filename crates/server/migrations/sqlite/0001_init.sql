-- Games, players and their payment orders; sessions; evidence; cases and their events.
-- Instants are stored as RFC 3339 text in UTC; money as integer fen.

CREATE TABLE games (
    appid       TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  TEXT NOT NULL
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
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    refunded_fen  INTEGER NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
    paid_at       TEXT NOT NULL,
    FOREIGN KEY (appid, openid) REFERENCES players(appid, openid)
);
CREATE INDEX orders_by_player ON orders(appid, openid, paid_at);

-- A launch ticket works once: its nonce is remembered until it would have expired anyway.
CREATE TABLE used_tickets (
    appid       TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (appid, nonce)
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

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
    created_at  TEXT NOT NULL
);
CREATE INDEX evidence_by_owner ON evidence(appid, openid, case_no);
CREATE INDEX evidence_by_sha ON evidence(sha256);

CREATE TABLE case_numbers (
    prefix  TEXT PRIMARY KEY,
    last    INTEGER NOT NULL
);

CREATE TABLE cases (
    case_no            TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    appid              TEXT NOT NULL,
    openid             TEXT NOT NULL,
    state              TEXT NOT NULL,
    details            TEXT NOT NULL,
    claimed_fen        INTEGER NOT NULL,
    submitted_at       TEXT NOT NULL,
    due_at             TEXT NOT NULL,
    tracking_key_hash  TEXT NOT NULL,
    tracking_generation INTEGER NOT NULL DEFAULT 0,
    idempotency_key    TEXT NOT NULL,
    request_hash       TEXT NOT NULL,
    UNIQUE (appid, openid, idempotency_key)
);
CREATE INDEX cases_by_player ON cases(appid, openid, submitted_at);

CREATE TABLE case_orders (
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    order_no    TEXT NOT NULL REFERENCES orders(order_no),
    amount_fen  INTEGER NOT NULL,
    PRIMARY KEY (case_no, order_no)
);

-- An order may sit in one open case at a time; the primary key makes that hold under races.
CREATE TABLE open_claims (
    order_no  TEXT PRIMARY KEY REFERENCES orders(order_no),
    case_no   TEXT NOT NULL REFERENCES cases(case_no)
);

-- Append-only: every state change of a case, the source of its timeline and of live updates.
CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no  TEXT NOT NULL REFERENCES cases(case_no),
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    state    TEXT NOT NULL,
    note     TEXT
);
CREATE INDEX case_events_by_case ON case_events(case_no, id);
