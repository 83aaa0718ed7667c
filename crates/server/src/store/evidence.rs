//! Evidence records (who uploaded which stored file, and which case it belongs to) and
//! the contents they share with each other and with force-majeure reports' files.
//!
//! Files are content-addressed, so two records may share one file. Whether a file may be
//! deleted is decided in the database, under a lock the uploads take too: an upload
//! *pins* its content before putting the file in place and unpins it in the transaction
//! that records it, and a content row is only deleted (and its file with it, before that
//! deletion commits) when no record uses it and no upload holds a pin. A pin older than
//! [`STALE_PIN`] belonged to an upload that died and no longer protects anything.

use chrono::{DateTime, Duration, Utc};
use refund_api::{EvidenceCategory, MediaType};

use super::Store;
use super::db::{At, Key, StoreResult, UnknownKey, keyed, sql};

/// After this long a pin is taken to belong to an upload that was cut off.
pub const STALE_PIN: Duration = Duration::hours(1);

/// An evidence record; the file itself lives in the object store under its SHA-256.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRecord {
    pub id: String,
    pub sha256: String,
    pub size: i64,
    #[sqlx(try_from = "Key")]
    pub media_type: MediaType,
    #[sqlx(try_from = "Key")]
    pub category: EvidenceCategory,
    pub file_name: String,
    pub case_no: Option<String>,
    #[sqlx(try_from = "At")]
    pub created_at: DateTime<Utc>,
}

impl TryFrom<Key> for MediaType {
    type Error = UnknownKey;
    fn try_from(key: Key) -> Result<Self, UnknownKey> {
        MediaType::ALL
            .into_iter()
            .find(|m| m.mime() == key.0)
            .ok_or(UnknownKey(key.0))
    }
}
keyed!(EvidenceCategory);

/// What became of an upload's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceInsert {
    Recorded,
    /// The uploader already holds the most files not yet in a case.
    TooManyFiles,
    /// The uploader's files would take more than their quota; `used` bytes are taken.
    OverQuota {
        used: u64,
    },
}

/// A file just stored, to record for its uploader.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub id: &'a str,
    pub sha256: &'a str,
    pub size: u64,
    pub media_type: MediaType,
    pub category: EvidenceCategory,
    pub file_name: &'a str,
    pub appid: &'a str,
    pub openid: &'a str,
}

const COLUMNS: &str = "id, sha256, size, media_type, category, file_name, case_no, created_at";

impl Store {
    /// Pins a content before its file is put in place, so no deletion can take it away
    /// between the file landing and the record that uses it being committed.
    pub async fn pin_content(&self, sha256: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.write()
            .execute(
                sql(
                    "INSERT INTO evidence_contents (sha256, pins, pinned_at) VALUES ($1, 1, $2)
                     ON CONFLICT (sha256) DO UPDATE SET pins = evidence_contents.pins + 1, pinned_at = $2",
                )
                .bind(sha256)
                .bind(now),
            )
            .await?;
        Ok(())
    }

    /// Records an upload and releases its pin, unless the uploader already holds
    /// `max_unattached` files not yet in a case, or their files would then take more than
    /// `quota_bytes`. The pin is released either way.
    pub async fn insert_evidence(
        &self,
        new: &NewEvidence<'_>,
        max_unattached: u32,
        quota_bytes: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<EvidenceInsert> {
        let mut tx = self.begin().await?;
        // The player's row is the lock that keeps parallel uploads from overshooting.
        let lock = format!(
            "SELECT appid FROM players WHERE appid = $1 AND openid = $2{}",
            tx.dialect().for_update()
        );
        let _player: Option<(String,)> = tx.fetch_optional(sql(lock).bind(new.appid).bind(new.openid)).await?;
        let (used,): (i64,) = tx
            .fetch_one(
                sql("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM evidence WHERE appid = $1 AND openid = $2")
                    .bind(new.appid)
                    .bind(new.openid),
            )
            .await?;
        let used = u64::try_from(used).unwrap_or(0);
        let outcome = if used.saturating_add(new.size) > quota_bytes {
            EvidenceInsert::OverQuota { used }
        } else {
            let recorded = tx
                .execute(
                    sql("INSERT INTO evidence (id, sha256, size, media_type, category, file_name, appid, openid, created_at)
                         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
                         WHERE (SELECT COUNT(*) FROM evidence WHERE appid = $7 AND openid = $8 AND case_no IS NULL) < $10")
                    .bind(new.id)
                    .bind(new.sha256)
                    .bind(i64::try_from(new.size).unwrap_or(i64::MAX))
                    .bind(new.media_type.mime())
                    .bind(new.category.key())
                    .bind(new.file_name)
                    .bind(new.appid)
                    .bind(new.openid)
                    .bind(now)
                    .bind(max_unattached),
                )
                .await?
                == 1;
            if recorded {
                EvidenceInsert::Recorded
            } else {
                EvidenceInsert::TooManyFiles
            }
        };
        tx.execute(sql("UPDATE evidence_contents SET pins = pins - 1 WHERE sha256 = $1 AND pins > 0").bind(new.sha256))
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Those of `ids` that are the player's uploads not yet attached to a case.
    pub async fn unattached_evidence(
        &self,
        appid: &str,
        openid: &str,
        ids: &[String],
    ) -> StoreResult<Vec<EvidenceRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
        // The owner is compared through a cast, so SQLite finds the rows by primary key
        // instead of walking every unattached upload of the player (`evidence_by_owner`).
        let text = format!(
            "SELECT {COLUMNS} FROM evidence
             WHERE id IN ({}) AND CAST(appid AS TEXT) = $1 AND openid = $2 AND case_no IS NULL
             ORDER BY created_at, id",
            placeholders.join(", ")
        );
        let query = ids.iter().fold(sql(text).bind(appid).bind(openid), |q, id| q.bind(id));
        self.read().fetch_all(query).await
    }

    /// A file the player uploaded (attached or not).
    pub async fn own_evidence(&self, id: &str, appid: &str, openid: &str) -> StoreResult<Option<EvidenceRecord>> {
        self.read()
            .fetch_optional(
                sql(format!(
                    "SELECT {COLUMNS} FROM evidence WHERE id = $1 AND appid = $2 AND openid = $3"
                ))
                .bind(id)
                .bind(appid)
                .bind(openid),
            )
            .await
    }

    /// A file attached to a given case.
    pub async fn case_evidence_file(&self, case_no: &str, id: &str) -> StoreResult<Option<EvidenceRecord>> {
        self.read()
            .fetch_optional(
                sql(format!("SELECT {COLUMNS} FROM evidence WHERE id = $1 AND case_no = $2"))
                    .bind(id)
                    .bind(case_no),
            )
            .await
    }

    /// Removes an upload not yet in a case; returns its content's SHA-256, which the caller
    /// then offers to [`Store::remove_unused_content`]. `None` when there was no such upload.
    pub async fn delete_unattached_evidence(&self, id: &str, appid: &str, openid: &str) -> StoreResult<Option<String>> {
        let deleted: Option<(String,)> = self
            .write()
            .fetch_optional(
                sql(
                    "DELETE FROM evidence WHERE id = $1 AND appid = $2 AND openid = $3 AND case_no IS NULL
                     RETURNING sha256",
                )
                .bind(id)
                .bind(appid)
                .bind(openid),
            )
            .await?;
        Ok(deleted.map(|(sha256,)| sha256))
    }

    /// Removes every upload that was never attached to a case and is older than `before`;
    /// returns the contents they used (distinct), for [`Store::remove_unused_content`].
    pub async fn delete_unattached_evidence_before(&self, before: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = self
            .write()
            .fetch_all(
                sql("DELETE FROM evidence WHERE case_no IS NULL AND created_at < $1 RETURNING sha256").bind(before),
            )
            .await?;
        let mut shas: Vec<String> = rows.into_iter().map(|(sha,)| sha).collect();
        shas.sort();
        shas.dedup();
        Ok(shas)
    }

    /// Deletes a content that no record uses and no live upload has pinned: `remove_file`
    /// deletes the file while the content row's deletion is still uncommitted, so an upload
    /// of the same bytes waits for it and then puts its file back. Returns whether the
    /// content was removed; a failure of `remove_file` keeps the row (and the file).
    pub async fn remove_unused_content<F, Fut, E>(
        &self,
        sha256: &str,
        now: DateTime<Utc>,
        remove_file: F,
    ) -> Result<bool, ContentError<E>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), E>>,
    {
        let mut tx = self.begin().await?;
        let removed = tx
            .execute(
                sql("DELETE FROM evidence_contents
                     WHERE sha256 = $1 AND (pins <= 0 OR pinned_at < $2)
                       AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)
                       AND NOT EXISTS (SELECT 1 FROM force_majeure_files WHERE sha256 = $1)")
                .bind(sha256)
                .bind(now - STALE_PIN),
            )
            .await?
            == 1;
        if removed {
            remove_file().await.map_err(ContentError::File)?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// Contents no record uses: pins of uploads that died, and leftovers of earlier sweeps.
    pub async fn unused_contents(&self, now: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = self
            .read()
            .fetch_all(
                sql("SELECT c.sha256 FROM evidence_contents c
                     WHERE (c.pins <= 0 OR c.pinned_at < $1)
                       AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = c.sha256)
                       AND NOT EXISTS (SELECT 1 FROM force_majeure_files f WHERE f.sha256 = c.sha256)")
                .bind(now - STALE_PIN),
            )
            .await?;
        Ok(rows.into_iter().map(|(sha,)| sha).collect())
    }
}

/// Why a content could not be removed.
#[derive(Debug, thiserror::Error)]
pub enum ContentError<E> {
    #[error(transparent)]
    Storage(#[from] super::StoreError),
    #[error("the file could not be removed: {0}")]
    File(E),
}
