//! Evidence records: who uploaded which stored file, and which case it belongs to.

use chrono::Utc;

use super::Store;

/// An evidence record; the file itself lives in the object store under its SHA-256.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct EvidenceRecord {
    pub id: String,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub category: String,
    pub file_name: String,
    pub case_no: Option<String>,
}

/// A file just stored, to record for its uploader.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub id: &'a str,
    pub sha256: &'a str,
    pub size: u64,
    pub media_type: &'a str,
    pub category: &'a str,
    pub file_name: &'a str,
    pub appid: &'a str,
    pub openid: &'a str,
}

const COLUMNS: &str = "id, sha256, size, media_type, category, file_name, case_no";

impl Store {
    /// Records an upload unless the uploader already holds `max_unattached` files not yet in a
    /// case; returns whether it was recorded. The check and the insert are one statement, so
    /// parallel uploads cannot overshoot.
    pub async fn insert_evidence(&self, new: &NewEvidence<'_>, max_unattached: u32) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO evidence (id, sha256, size, media_type, category, file_name, appid, openid, created_at)
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
             WHERE (SELECT COUNT(*) FROM evidence WHERE appid = ? AND openid = ? AND case_no IS NULL) < ?",
        )
        .bind(new.id)
        .bind(new.sha256)
        .bind(i64::try_from(new.size).unwrap_or(i64::MAX))
        .bind(new.media_type)
        .bind(new.category)
        .bind(new.file_name)
        .bind(new.appid)
        .bind(new.openid)
        .bind(Utc::now())
        .bind(new.appid)
        .bind(new.openid)
        .bind(max_unattached)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Those of `ids` that are the player's uploads not yet attached to a case.
    pub async fn unattached_evidence(
        &self,
        appid: &str,
        openid: &str,
        ids: &[String],
    ) -> Result<Vec<EvidenceRecord>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM evidence
             WHERE appid = ? AND openid = ? AND case_no IS NULL AND id IN ({placeholders}) ORDER BY created_at"
        );
        let mut query = sqlx::query_as(&sql).bind(appid).bind(openid);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(&self.pool).await
    }

    /// A file the player uploaded (attached or not).
    pub async fn own_evidence(
        &self,
        id: &str,
        appid: &str,
        openid: &str,
    ) -> Result<Option<EvidenceRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM evidence WHERE id = ? AND appid = ? AND openid = ?"
        ))
        .bind(id)
        .bind(appid)
        .bind(openid)
        .fetch_optional(&self.pool)
        .await
    }

    /// A file attached to a given case.
    pub async fn case_evidence_file(&self, case_no: &str, id: &str) -> Result<Option<EvidenceRecord>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM evidence WHERE id = ? AND case_no = ?"))
            .bind(id)
            .bind(case_no)
            .fetch_optional(&self.pool)
            .await
    }

    /// Removes an upload not yet in a case. Returns its SHA-256 if no other record still
    /// uses that content (the caller may then delete the stored file).
    pub async fn delete_unattached_evidence(
        &self,
        id: &str,
        appid: &str,
        openid: &str,
    ) -> Result<Option<DeletedEvidence>, sqlx::Error> {
        let mut tx = self.writer.begin().await?;
        let sha: Option<(String,)> = sqlx::query_as(
            "DELETE FROM evidence WHERE id = ? AND appid = ? AND openid = ? AND case_no IS NULL RETURNING sha256",
        )
        .bind(id)
        .bind(appid)
        .bind(openid)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((sha256,)) = sha else {
            return Ok(None);
        };
        let (others,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM evidence WHERE sha256 = ?")
            .bind(&sha256)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(DeletedEvidence {
            orphaned_sha256: (others == 0).then_some(sha256),
        }))
    }
}

/// The outcome of removing an upload.
#[derive(Debug, Clone)]
pub struct DeletedEvidence {
    /// Set when no record refers to the content any more.
    pub orphaned_sha256: Option<String>,
}

impl Store {
    /// Whether any record still refers to this content.
    pub async fn evidence_content_in_use(&self, sha256: &str) -> Result<bool, sqlx::Error> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM evidence WHERE sha256 = ?")
            .bind(sha256)
            .fetch_one(&self.pool)
            .await?;
        Ok(count > 0)
    }
}
