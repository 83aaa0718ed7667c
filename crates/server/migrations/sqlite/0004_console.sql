-- People at desks and what they decide: developer organisations owning games, staff
-- accounts (developers of one organisation, or platform staff) with their own sessions
-- and login throttling, decisions with the refunds they applied, overdue marks and the
-- credit ledger. Instants are integer microseconds since the epoch; money integer fen.

CREATE TABLE organizations (
    org_id      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
-- Games registered before organisations existed belong to this one.
INSERT INTO organizations (org_id, name, created_at)
    VALUES ('default', 'Default organisation', CAST(strftime('%s', 'now') AS INTEGER) * 1000000);
ALTER TABLE games ADD COLUMN org_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX games_by_org ON games(org_id);

CREATE TABLE staff (
    login          TEXT PRIMARY KEY,
    role           TEXT NOT NULL CHECK (role IN ('developer', 'platform')),
    org_id         TEXT REFERENCES organizations(org_id),
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    CHECK ((role = 'developer') = (org_id IS NOT NULL))
);

CREATE TABLE staff_sessions (
    token_hash  TEXT PRIMARY KEY,
    login       TEXT NOT NULL REFERENCES staff(login),
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions(expires_at);

-- Failed logins per subject (`login:NAME` or `addr:IP`), for slowing down guessing.
CREATE TABLE login_failures (
    subject          TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL
);

ALTER TABLE cases ADD COLUMN overdue_at INTEGER;
CREATE INDEX cases_by_due ON cases(state, due_at);

-- One decision per round of a case: `first`, `appeal`, `platform`.
CREATE TABLE decisions (
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    round       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    reason      TEXT,
    note        TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    -- A hash of the request: the same decision sent again is answered, not applied twice.
    request_hash TEXT NOT NULL,
    decided_at  INTEGER NOT NULL,
    event_id    INTEGER NOT NULL,
    PRIMARY KEY (case_no, round)
);

-- Refunds as the payment gateway recorded them; the order's refunded_fen moves with
-- them, and its CHECK keeps it within the order's amount.
CREATE TABLE refunds (
    refund_id   TEXT PRIMARY KEY,
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    round       TEXT NOT NULL,
    order_no    TEXT NOT NULL REFERENCES orders(order_no),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    created_at  INTEGER NOT NULL,
    -- Set once the payment gateway has carried the refund out, with its reference.
    settled_at  INTEGER,
    gateway_ref TEXT,
    UNIQUE (case_no, round, order_no)
);
CREATE INDEX refunds_by_order ON refunds(order_no);

-- Points gained or lost by a developer organisation; one entry per cause and case.
CREATE TABLE credit_ledger (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      TEXT NOT NULL REFERENCES organizations(org_id),
    at          INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    cause       TEXT NOT NULL,
    case_no     TEXT,
    UNIQUE (org_id, cause, case_no)
);

-- A game may have its notifications for players also POSTed to its own server.
ALTER TABLE games ADD COLUMN webhook_url TEXT;
ALTER TABLE games ADD COLUMN webhook_secret TEXT;

-- Who is told about which event: `player:APPID:OPENID`, `org:ORG` or `platform`.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient   TEXT NOT NULL,
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    event_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_by_recipient ON notifications(recipient, id);

-- The webhook outbox: written with the notification, delivered (and retried) by jobs.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    appid            TEXT NOT NULL REFERENCES games(appid),
    notification_id  INTEGER NOT NULL REFERENCES notifications(id),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL,
    last_status      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE INDEX webhook_deliveries_by_game ON webhook_deliveries(appid, id);
