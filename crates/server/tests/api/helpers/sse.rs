//! Reading a server-sent event stream message by message.

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use refund_api::CaseChanged;

/// How long a test waits for the next message before calling the stream broken. A bound
/// against hanging, not a latency requirement.
const PATIENCE: Duration = Duration::from_secs(10);

/// One SSE message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub event: Option<String>,
    pub id: Option<String>,
    pub data: String,
}

/// An open `text/event-stream` response.
pub struct EventStream {
    chunks: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    buffer: Vec<u8>,
}

impl EventStream {
    /// Wraps a response, checking that it is an event stream.
    pub fn new(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("text/event-stream"),
            "content type {content_type:?}"
        );
        Self {
            chunks: Box::pin(response.bytes_stream()),
            buffer: Vec::new(),
        }
    }

    /// The next message (comments and keep-alives skipped); panics if none comes in time.
    pub async fn next_message(&mut self) -> Message {
        tokio::time::timeout(PATIENCE, self.read_message())
            .await
            .expect("the stream sent no message in time")
    }

    /// Whether the server ends the stream (within the same patience) before another message.
    /// Whether no message at all arrives within `wait` (for streams that must stay quiet).
    pub async fn nothing_within(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.next_message()).await.is_err()
    }

    pub async fn ends(&mut self) -> bool {
        let ended = async {
            loop {
                if self.take_buffered().is_some() {
                    return false;
                }
                match self.chunks.next().await {
                    None | Some(Err(_)) => return true,
                    Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                }
            }
        };
        tokio::time::timeout(PATIENCE, ended)
            .await
            .expect("the stream neither ended nor spoke in time")
    }

    /// The next `case` message, skipping others (`ready`), decoded.
    pub async fn next_case_event(&mut self) -> (Message, CaseChanged) {
        loop {
            let message = self.next_message().await;
            if message.event.as_deref() == Some("case") {
                let changed = serde_json::from_str(&message.data)
                    .unwrap_or_else(|e| panic!("a case message carries CaseChanged ({e}): {}", message.data));
                return (message, changed);
            }
        }
    }

    async fn read_message(&mut self) -> Message {
        loop {
            if let Some(message) = self.take_buffered() {
                return message;
            }
            let chunk = self
                .chunks
                .next()
                .await
                .expect("the stream ended")
                .expect("the stream broke");
            self.buffer.extend_from_slice(&chunk);
        }
    }

    /// Parses the first complete message in the buffer, if there is one with content.
    fn take_buffered(&mut self) -> Option<Message> {
        loop {
            // axum ends lines with LF only; a blank line ends a message.
            let end = self.buffer.windows(2).position(|w| w == b"\n\n")?;
            let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
            let block = String::from_utf8(block).expect("event streams are UTF-8");
            let mut message = Message::default();
            let mut has_data = false;
            for line in block.lines() {
                if line.starts_with(':') {
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => message.event = Some(value.to_owned()),
                    "id" => message.id = Some(value.to_owned()),
                    "data" => {
                        if has_data {
                            message.data.push('\n');
                        }
                        message.data.push_str(value);
                        has_data = true;
                    }
                    _ => {}
                }
            }
            if has_data || message.event.is_some() {
                return Some(message);
            }
        }
    }
}
