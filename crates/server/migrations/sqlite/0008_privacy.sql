-- Consent to the privacy notice, per player and notice version, given before the first
-- identity document is uploaded.
CREATE TABLE privacy_consents (
    appid           TEXT NOT NULL,
    openid          TEXT NOT NULL,
    notice_version  INTEGER NOT NULL,
    consented_at    INTEGER NOT NULL,
    PRIMARY KEY (appid, openid, notice_version)
);

-- When the retention job deleted a case's files, and how many there were.
ALTER TABLE cases ADD COLUMN files_deleted_at INTEGER;
ALTER TABLE cases ADD COLUMN files_deleted INTEGER NOT NULL DEFAULT 0;
