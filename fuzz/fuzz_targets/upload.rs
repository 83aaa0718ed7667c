//! The evidence upload: a multipart body (any bytes, or a form built from the input, cut
//! into any chunks) read by `http::upload_form::read_evidence_form` as the upload handler
//! reads it, its file streamed through `domain::upload::UploadCheck` as
//! `EvidenceFiles::stage` streams it. Nothing panics; a file is accepted exactly when it
//! is not empty, within the limit and sniffed as an accepted type (whatever type its part
//! declares), and a refusal names what is really wrong; a well-formed form yields its
//! category and its file's exact bytes, and a wrong one the error its fields call for.
//!
//! Input: 7 bytes of numbers (see [`Input`]), then the body or what a form is made of.

#![no_main]

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;
use futures::Stream;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use refund_api::EvidenceCategory;
use refund_server::domain::media::{SNIFF_LEN, sniff};
use refund_server::domain::upload::{Refusal, UploadCheck};
use refund_server::http::upload_form::{FormError, read_evidence_form};

/// Characters a boundary may use unquoted.
const BOUNDARY_CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'+-._";
/// Leading bytes of accepted types, and of others, for files to begin with.
const SIGNATURES: [&[u8]; 8] = [
    b"\xFF\xD8\xFF\xE0\x00\x10JFIF",
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    b"RIFF\x24\0\0\0WEBPVP8 ",
    b"\0\0\0\x18ftypheic\0\0\0\0heicmif1",
    b"\0\0\0\x18ftypisom\0\0\0\0isommp41",
    b"%PDF-1.7\n",
    b"GIF89a\x01\0\x01\0",
    b"MZ\x90\0\x03\0\0\0",
];

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// The file size limit.
    max: u16,
    /// Sizes to cut the body into, cycled (0 counts as 1).
    chunks: [u8; 4],
    /// Odd: `body` describes a form whose reading is known (a boundary and the [`Part`]s
    /// that [`Arbitrary`] makes of it); even: `body` is the body as sent, its boundary
    /// taken from its first line.
    form: u8,
    body: &'a [u8],
}

#[derive(Debug, Arbitrary)]
struct Part {
    name: Name,
    file_name: Option<String>,
    /// A content type for the part, which must not matter.
    content_type: Option<String>,
    content: Content,
}

#[derive(Debug, Arbitrary)]
enum Name {
    Category,
    File,
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum Content {
    /// A category key (or a near miss) with blanks around it.
    Key {
        key: u8,
        before: u8,
        after: u8,
    },
    /// A known signature, then bytes.
    Signed {
        signature: u8,
        rest: Vec<u8>,
    },
    Bytes(Vec<u8>),
}

impl Part {
    fn name(&self) -> String {
        match &self.name {
            Name::Category => "category".to_owned(),
            Name::File => "file".to_owned(),
            Name::Other(name) => header_safe(name),
        }
    }
}

impl Content {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Content::Key { key, before, after } => {
                let blank = |n: u8| " ".repeat(usize::from(n % 3));
                format!("{}{}{}", blank(*before), category_key(*key), blank(*after)).into_bytes()
            }
            Content::Signed { signature, rest } => {
                let mut bytes = SIGNATURES[usize::from(*signature) % SIGNATURES.len()].to_vec();
                bytes.extend_from_slice(rest);
                bytes
            }
            Content::Bytes(bytes) => bytes.clone(),
        }
    }
}

/// A category's key, or one in the wrong case (which no category has).
fn category_key(index: u8) -> String {
    let all = EvidenceCategory::MINOR_REFUND
        .iter()
        .chain(&EvidenceCategory::COMPLAINT);
    match all.clone().nth(usize::from(index) % (all.count() + 1)) {
        Some(category) => category.key().to_owned(),
        None => EvidenceCategory::Other.key().to_uppercase(),
    }
}

/// What a built form must read as.
#[derive(Debug, PartialEq)]
enum Expected {
    File { category: EvidenceCategory, bytes: Vec<u8> },
    MissingCategory,
    UnknownCategory,
    MissingFile,
}

fuzz_target!(|input: Input| {
    let max = u64::from(input.max);
    let (boundary, body, expected) = if input.form % 2 == 1 {
        let mut parts = arbitrary::Unstructured::new(input.body);
        let Ok((boundary, parts)) = parts.arbitrary::<(Vec<u8>, Vec<Part>)>() else {
            return;
        };
        let boundary = boundary_from(&boundary);
        let (body, expected) = build(&boundary, &parts);
        (boundary, body, expected)
    } else {
        let first_line = input
            .body
            .split(|b| *b == b'\r' || *b == b'\n')
            .next()
            .unwrap_or_default();
        let boundary = first_line.strip_prefix(b"--").unwrap_or(b"");
        (boundary_from(boundary), input.body.to_vec(), None)
    };
    let chunks = cut(&body, &input.chunks);
    futures::executor::block_on(read(&boundary, chunks, max, expected));
});

/// A boundary of the characters one may use unquoted (others are replaced), never empty.
fn boundary_from(bytes: &[u8]) -> String {
    let boundary: String = bytes
        .iter()
        .take(70)
        .map(|b| {
            let allowed = if BOUNDARY_CHARS.contains(b) {
                *b
            } else {
                BOUNDARY_CHARS[usize::from(*b) % BOUNDARY_CHARS.len()]
            };
            char::from(allowed)
        })
        .collect();
    if boundary.is_empty() { "x".to_owned() } else { boundary }
}

/// Reads the body as the handler does and checks the answer.
async fn read(boundary: &str, chunks: Vec<Bytes>, max: u64, expected: Option<Expected>) {
    let body = Body::from_stream(Trickle {
        chunks: chunks.into_iter(),
        pending: false,
    });
    let request = Request::builder()
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .expect("a request");
    let mut multipart = Multipart::from_request(request, &())
        .await
        .expect("a multipart content type");
    let form = match read_evidence_form(&mut multipart).await {
        Ok(form) => form,
        Err(error) => {
            match (&error, &expected) {
                (_, None) | (FormError::MissingCategory, Some(Expected::MissingCategory)) => {}
                (FormError::UnknownCategory(_), Some(Expected::UnknownCategory)) => {}
                (FormError::MissingFile, Some(Expected::MissingFile)) => {}
                _ => panic!("{error:?}, expected {expected:?}"),
            }
            return;
        }
    };
    let name = &form.file_name;
    assert!(!name.trim().is_empty() && name.chars().count() <= 120, "{name:?}");
    assert!(
        !name.contains(['/', '\\']) && !name.chars().any(char::is_control),
        "{name:?}"
    );
    let category = form.category;
    let mut file = form.file;
    let mut check = UploadCheck::new(max);
    let mut bytes = Vec::new();
    let mut refused = None;
    loop {
        let chunk = match file.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            // A body that ends inside the file: the handler answers that it was interrupted.
            Err(_) => {
                assert!(expected.is_none(), "a built form is complete");
                return;
            }
        };
        bytes.extend_from_slice(&chunk);
        if refused.is_none() {
            refused = check.feed(&chunk).err();
        }
    }
    let answer = match refused {
        Some(refusal) => Err(refusal),
        None => check.finish(),
    };
    if let Some(expected) = expected {
        assert_eq!(
            Expected::File {
                category,
                bytes: bytes.clone()
            },
            expected
        );
    }
    let size = bytes.len() as u64;
    let head = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    match answer {
        Ok(media_type) => {
            assert!(size > 0 && size <= max, "{size} bytes accepted under {max}");
            assert_eq!(Ok(media_type), head);
            assert_eq!(check.size(), size);
        }
        Err(Refusal::TooLarge { max: limit }) => assert!(limit == max && size > max),
        Err(Refusal::Empty) => assert_eq!(size, 0),
        Err(Refusal::Unsupported(found)) => assert_eq!(head, Err(found)),
    }
    let acceptable = size > 0 && size <= max && head.is_ok();
    assert_eq!(
        answer.is_ok(),
        acceptable,
        "{size} bytes, limit {max}, sniffed {head:?}"
    );
}

/// The body of a form with `parts`, and what it must read as (`None` when a part's
/// bytes contain the delimiter, which cuts the part short).
fn build(boundary: &str, parts: &[Part]) -> (Vec<u8>, Option<Expected>) {
    let mut body = Vec::new();
    let delimiter = format!("\r\n--{boundary}");
    let mut framed = true;
    for part in parts {
        let name = part.name();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file_name) = &part.file_name {
            body.extend_from_slice(format!("; filename=\"{}\"", header_safe(file_name)).as_bytes());
        }
        if let Some(content_type) = &part.content_type {
            body.extend_from_slice(format!("\r\nContent-Type: {}", header_safe(content_type)).as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        let content = part.content.bytes();
        framed &= !contains(&content, delimiter.as_bytes()) && !contains(&content, &delimiter.as_bytes()[2..]);
        body.extend_from_slice(&content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, if framed { expected(parts) } else { None })
}

/// `None` when the category's text is decoded by other rules than UTF-8's: a charset in
/// its content type, or a byte order mark.
fn expected(parts: &[Part]) -> Option<Expected> {
    let Some(first) = parts.first().filter(|p| p.name() == "category") else {
        return Some(Expected::MissingCategory);
    };
    let key = first.content.bytes();
    let marked = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|bom| key.starts_with(bom));
    if first.content_type.is_some() || marked {
        return None;
    }
    let text = std::str::from_utf8(&key).ok();
    let Some(category) = text.and_then(|t| EvidenceCategory::from_key(t.trim())) else {
        return Some(Expected::UnknownCategory);
    };
    Some(match parts.get(1) {
        Some(file) if file.name() == "file" => Expected::File {
            category,
            bytes: file.content.bytes(),
        },
        _ => Expected::MissingFile,
    })
}

/// Text that stays within a quoted header value: no quotes, backslashes or controls.
fn header_safe(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '"' | '\\') && !c.is_control())
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Yields one chunk per poll and is pending in between, as a network is: a stream always
/// ready would be read whole before any of it is parsed, and the chunking would not matter.
struct Trickle {
    chunks: std::vec::IntoIter<Bytes>,
    pending: bool,
}

impl Stream for Trickle {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.pending = !self.pending;
        if self.pending {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(self.chunks.next().map(Ok))
    }
}

/// The body cut into chunks of the given sizes, cycled.
fn cut(body: &[u8], sizes: &[u8]) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut rest = body;
    let mut sizes = sizes.iter().map(|s| usize::from(*s).max(1)).cycle();
    while !rest.is_empty() {
        let size = sizes.next().unwrap_or(rest.len()).min(rest.len());
        let (chunk, tail) = rest.split_at(size);
        chunks.push(Bytes::copy_from_slice(chunk));
        rest = tail;
    }
    chunks
}
