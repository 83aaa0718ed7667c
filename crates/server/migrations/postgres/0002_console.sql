-- People at desks and what they decide (as SQLite's 0004_console.sql).

CREATE TABLE organizations (
    org_id      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
INSERT INTO organizations (org_id, name, created_at) VALUES ('default', 'Default organisation', now());
ALTER TABLE games ADD COLUMN org_id TEXT NOT NULL DEFAULT 'default' REFERENCES organizations(org_id);
CREATE INDEX games_by_org ON games(org_id);

CREATE TABLE staff (
    login          TEXT PRIMARY KEY,
    role           TEXT NOT NULL CHECK (role IN ('developer', 'platform')),
    org_id         TEXT REFERENCES organizations(org_id),
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    CHECK ((role = 'developer') = (org_id IS NOT NULL))
);

CREATE TABLE staff_sessions (
    token_hash  TEXT PRIMARY KEY,
    login       TEXT NOT NULL REFERENCES staff(login),
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions(expires_at);

CREATE TABLE login_failures (
    subject          TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    last_failure_at  TIMESTAMPTZ NOT NULL
);

ALTER TABLE cases ADD COLUMN overdue_at TIMESTAMPTZ;
CREATE INDEX cases_by_due ON cases(state, due_at);

CREATE TABLE decisions (
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    round       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    reason      TEXT,
    note        TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    -- A hash of the request: the same decision sent again is answered, not applied twice.
    request_hash TEXT NOT NULL,
    decided_at  TIMESTAMPTZ NOT NULL,
    event_id    BIGINT NOT NULL,
    PRIMARY KEY (case_no, round)
);

CREATE TABLE refunds (
    refund_id   TEXT PRIMARY KEY,
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    round       TEXT NOT NULL,
    order_no    TEXT NOT NULL REFERENCES orders(order_no),
    amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
    created_at  TIMESTAMPTZ NOT NULL,
    -- Set once the payment gateway has carried the refund out, with its reference.
    settled_at  TIMESTAMPTZ,
    gateway_ref TEXT,
    UNIQUE (case_no, round, order_no)
);
CREATE INDEX refunds_by_order ON refunds(order_no);

CREATE TABLE credit_ledger (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(org_id),
    at          TIMESTAMPTZ NOT NULL,
    points      BIGINT NOT NULL,
    cause       TEXT NOT NULL,
    case_no     TEXT,
    UNIQUE (org_id, cause, case_no)
);

-- A game may have its notifications for players also POSTed to its own server.
ALTER TABLE games ADD COLUMN webhook_url TEXT;
ALTER TABLE games ADD COLUMN webhook_secret TEXT;

-- Who is told about which event: `player:APPID:OPENID`, `org:ORG` or `platform`.
CREATE TABLE notifications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient   TEXT NOT NULL,
    case_no     TEXT NOT NULL REFERENCES cases(case_no),
    event_id    BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ
);
CREATE INDEX notifications_by_recipient ON notifications(recipient, id);

-- The webhook outbox: written with the notification, delivered (and retried) by jobs.
CREATE TABLE webhook_deliveries (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appid            TEXT NOT NULL REFERENCES games(appid),
    notification_id  BIGINT NOT NULL REFERENCES notifications(id),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT NOT NULL,
    last_status      BIGINT,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_by_game ON webhook_deliveries(appid, id);
