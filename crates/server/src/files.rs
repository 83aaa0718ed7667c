//! Evidence file storage behind `object_store`, content-addressed by SHA-256.
//!
//! Policy: an upload streams into a staging object while its hash, size and leading
//! bytes are taken; only a file that passes every check is moved to its content
//! address (`sha256/<first two hex>/<hex>`). Anything refused is aborted, so a rejected
//! upload leaves nothing behind. A local directory is the default backend.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, WriteMultipart};
use refund_api::MediaType;
use sha2::{Digest, Sha256};

use crate::domain::media::{SNIFF_LEN, sniff};
use crate::secrets::random_token;

/// A file that passed the checks and is stored under its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
}

/// Why an upload was refused (nothing of it is kept).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a JPEG, PNG, WebP, HEIC, MP4 or PDF")]
    Unsupported,
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

/// The evidence file store.
#[derive(Debug, Clone)]
pub struct EvidenceFiles {
    store: Arc<dyn ObjectStore>,
}

impl EvidenceFiles {
    /// Files kept in a local directory (created if missing).
    pub fn local(dir: &Path) -> Result<Self, object_store::Error> {
        std::fs::create_dir_all(dir).map_err(|source| object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(source),
        })?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// Streams `chunks` into storage, refusing more than `max_bytes` or an unaccepted type.
    pub async fn store<S, E>(&self, chunks: S, max_bytes: u64) -> Result<StoredFile, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut chunks = std::pin::pin!(chunks);
        let staging = ObjectPath::from(format!("staging/{}", random_token(16)));
        let mut writer = WriteMultipart::new(self.store.put_multipart(&staging).await?);
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(SNIFF_LEN);
        let mut size: u64 = 0;
        let mut media_type = None;
        let refusal = loop {
            let chunk = match chunks.next().await {
                None => break None,
                Some(Ok(chunk)) => chunk,
                Some(Err(e)) => break Some(UploadError::Interrupted(e.to_string())),
            };
            size += chunk.len() as u64;
            if size > max_bytes {
                break Some(UploadError::TooLarge { max: max_bytes });
            }
            if media_type.is_none() {
                let wanted = SNIFF_LEN.saturating_sub(head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..wanted]);
                if head.len() >= SNIFF_LEN {
                    media_type = Some(sniff(&head).ok_or(UploadError::Unsupported));
                }
            }
            if let Some(Err(_)) = media_type {
                break Some(UploadError::Unsupported);
            }
            hasher.update(&chunk);
            writer.write(&chunk);
        };
        let media_type = match (refusal, size, media_type) {
            (Some(refusal), _, _) => {
                // Read the rest (the request's body limit bounds it) so the client gets to
                // read the refusal instead of a connection closed under its upload.
                while let Some(Ok(_)) = chunks.next().await {}
                return Err(abort(writer, refusal).await);
            }
            (None, 0, _) => return Err(abort(writer, UploadError::Empty).await),
            (None, _, Some(Ok(media_type))) => media_type,
            (None, _, _) => match sniff(&head) {
                Some(media_type) => media_type,
                None => return Err(abort(writer, UploadError::Unsupported).await),
            },
        };
        writer.finish().await?;
        let sha256 = hex::encode(hasher.finalize());
        self.store.rename(&staging, &content_path(&sha256)).await?;
        Ok(StoredFile {
            sha256,
            size,
            media_type,
        })
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

    /// Removes the content stored under `sha256` (when no record refers to it any more).
    pub async fn delete(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&content_path(sha256)).await {
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
