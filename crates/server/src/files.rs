//! Evidence file storage behind `object_store`, content-addressed by SHA-256.
//!
//! Policy: an upload streams into a staging object while its hash, size and leading
//! bytes are taken ([`EvidenceFiles::stage`]); only a file that passes every check is
//! moved to its content address (`sha256/<first two hex>/<hex>`) by
//! [`EvidenceFiles::place`], after the database has pinned that content (see
//! `store::evidence`). Anything refused is aborted, so a rejected upload leaves nothing
//! behind; an upload cut off by a crash leaves a staging object that the sweep job
//! removes. On a local directory a placed file is synced to disk before its record is
//! committed, so an acknowledged upload survives power loss; an S3 PUT is durable when
//! it returns. Backends: `file://DIR` (the default) and `s3://BUCKET/PREFIX` for any
//! S3-compatible service, configured by the usual `AWS_*` variables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, WriteMultipart};
use refund_api::MediaType;
use sha2::{Digest, Sha256};

use crate::domain::upload::{Refusal, UploadCheck};
use crate::secrets::random_token;

const STAGING: &str = "staging";

/// A file that passed the checks and waits in staging to be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
    staging: ObjectPath,
}

/// Why an upload was refused (nothing of it is kept).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a JPEG, PNG, WebP, HEIC, MP4 or PDF but {}", .0.key())]
    Unsupported(refund_api::FoundKind),
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

impl From<Refusal> for UploadError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::TooLarge { max } => Self::TooLarge { max },
            Refusal::Empty => Self::Empty,
            Refusal::Unsupported(found) => Self::Unsupported(found),
        }
    }
}

/// The evidence file store.
#[derive(Debug, Clone)]
pub struct EvidenceFiles {
    store: Arc<dyn ObjectStore>,
    /// The directory, for a local store: files are synced there, and staging leftovers
    /// (which `object_store` does not list while they are half-written) swept.
    local_root: Option<PathBuf>,
}

impl EvidenceFiles {
    /// Opens `file://DIR` (created if missing) or `s3://BUCKET[/PREFIX]`.
    pub fn open(url: &str) -> Result<Self, object_store::Error> {
        if let Some(dir) = url.strip_prefix("file://") {
            return Self::local(Path::new(dir));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let s3 = AmazonS3Builder::from_env().with_bucket_name(bucket).build()?;
            let store: Arc<dyn ObjectStore> = match prefix.trim_matches('/') {
                "" => Arc::new(s3),
                prefix => Arc::new(PrefixStore::new(s3, prefix)),
            };
            return Ok(Self {
                store,
                local_root: None,
            });
        }
        Err(object_store::Error::Generic {
            store: "evidence",
            source: format!("unsupported evidence URL {url:?}: use file:///DIR or s3://BUCKET/PREFIX").into(),
        })
    }

    /// Files kept in a local directory (created if missing).
    pub fn local(dir: &Path) -> Result<Self, object_store::Error> {
        std::fs::create_dir_all(dir.join(STAGING)).map_err(|source| object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(source),
        })?;
        let root = dir.canonicalize().map_err(|source| object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(source),
        })?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(&root)?),
            local_root: Some(root),
        })
    }

    /// Streams `chunks` into staging, refusing more than `max_bytes` or an unaccepted type
    /// (checked by [`UploadCheck`] before each chunk is written).
    pub async fn stage<S, E>(&self, chunks: S, max_bytes: u64) -> Result<StagedFile, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut chunks = std::pin::pin!(chunks);
        let staging = ObjectPath::from(format!("{STAGING}/{}", random_token(16)));
        let mut writer = WriteMultipart::new(self.store.put_multipart(&staging).await?);
        let mut hasher = Sha256::new();
        let mut check = UploadCheck::new(max_bytes);
        let refusal = loop {
            let chunk = match chunks.next().await {
                None => break None,
                Some(Ok(chunk)) => chunk,
                Some(Err(e)) => break Some(UploadError::Interrupted(e.to_string())),
            };
            if let Err(refusal) = check.feed(&chunk) {
                break Some(refusal.into());
            }
            hasher.update(&chunk);
            writer.write(&chunk);
        };
        if let Some(refusal) = refusal {
            // Read the rest (the request's body limit bounds it) so the client gets to
            // read the refusal instead of a connection closed under its upload.
            while let Some(Ok(_)) = chunks.next().await {}
            return Err(abort(writer, refusal).await);
        }
        let media_type = match check.finish() {
            Ok(media_type) => media_type,
            Err(refusal) => return Err(abort(writer, refusal.into()).await),
        };
        writer.finish().await?;
        Ok(StagedFile {
            sha256: hex::encode(hasher.finalize()),
            size: check.size(),
            media_type,
            staging,
        })
    }

    /// Moves a staged file to its content address and makes it durable.
    pub async fn place(&self, staged: &StagedFile) -> Result<(), object_store::Error> {
        let target = content_path(&staged.sha256);
        self.store.rename(&staged.staging, &target).await?;
        if let Some(root) = &self.local_root {
            let file = root.join(target.as_ref());
            tokio::task::spawn_blocking(move || sync_file_and_dir(&file))
                .await
                .map_err(|e| generic(e.to_string()))?
                .map_err(|e| generic(e.to_string()))?;
        }
        Ok(())
    }

    /// Discards a staged file that will not be placed.
    pub async fn discard(&self, staged: &StagedFile) {
        if let Err(e) = self.store.delete(&staged.staging).await {
            tracing::warn!(error = %e, "could not discard a staged upload");
        }
    }

    /// The bytes stored under `sha256` (all, or the byte range given), as a stream.
    pub async fn read(
        &self,
        sha256: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<impl Stream<Item = Result<Bytes, object_store::Error>> + use<>, object_store::Error> {
        let options = object_store::GetOptions {
            range: range.map(object_store::GetRange::Bounded),
            ..Default::default()
        };
        Ok(self.store.get_opts(&content_path(sha256), options).await?.into_stream())
    }

    /// Whether content is stored under `sha256`.
    pub async fn exists(&self, sha256: &str) -> Result<bool, object_store::Error> {
        match self.store.head(&content_path(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Removes the content stored under `sha256` (when no record refers to it any more).
    pub async fn delete(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&content_path(sha256)).await {
            Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Removes staging leftovers last written before `before` (uploads cut off by a crash);
    /// returns how many. On S3, parts of multipart uploads that never completed are not
    /// objects: the bucket's lifecycle rule (AbortIncompleteMultipartUpload) removes them.
    pub async fn remove_stale_staging(&self, before: DateTime<Utc>) -> Result<usize, object_store::Error> {
        if let Some(root) = self.local_root.clone() {
            return tokio::task::spawn_blocking(move || remove_old_files(&root.join(STAGING), before))
                .await
                .map_err(|e| generic(e.to_string()))?
                .map_err(|e| generic(e.to_string()));
        }
        let prefix = ObjectPath::from(STAGING);
        let stale: Vec<ObjectPath> = self
            .store
            .list(Some(&prefix))
            .try_filter(|meta| futures::future::ready(meta.last_modified < before))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await?;
        for location in &stale {
            self.delete_path(location).await?;
        }
        Ok(stale.len())
    }

    async fn delete_path(&self, location: &ObjectPath) -> Result<(), object_store::Error> {
        match self.store.delete(location).await {
            Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

async fn abort(writer: WriteMultipart, refusal: UploadError) -> UploadError {
    if let Err(e) = writer.abort().await {
        tracing::warn!(error = %e, "could not discard a refused upload");
    }
    refusal
}

fn content_path(sha256: &str) -> ObjectPath {
    ObjectPath::from(format!("sha256/{}/{sha256}", &sha256[..2.min(sha256.len())]))
}

fn generic(message: String) -> object_store::Error {
    object_store::Error::Generic {
        store: "evidence",
        source: message.into(),
    }
}

/// fsync of the file and of the directory entry that names it.
fn sync_file_and_dir(file: &Path) -> std::io::Result<()> {
    std::fs::File::open(file)?.sync_all()?;
    if let Some(dir) = file.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Deletes the files directly in `dir` last modified before `before`.
fn remove_old_files(dir: &Path, before: DateTime<Utc>) -> std::io::Result<usize> {
    let mut removed = 0;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let meta = entry.metadata()?;
        let modified: DateTime<Utc> = meta.modified()?.into();
        if meta.is_file() && modified < before {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}
