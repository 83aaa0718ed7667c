//! Live updates: server-sent events through the browser's `EventSource`.

use refund_api::CaseChanged;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::{CaseSource, encode};

/// An open server-sent-events stream; dropping it closes the connection.
pub struct CaseEvents {
    source: web_sys::EventSource,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for CaseEvents {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// A live subscription that may still be opening (a tracked case first fetches a stream
/// token); dropping it closes the stream, or stops it from opening.
pub struct Subscription {
    slot: Rc<RefCell<Option<CaseEvents>>>,
    dropped: Rc<Cell<bool>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.dropped.set(true);
        self.slot.borrow_mut().take();
    }
}

/// Listens for `case` events about one case; the browser reconnects by itself and sends
/// `Last-Event-ID`, and the server replays what was missed. A tracking link's stream is
/// opened with a token fetched with the key, since `EventSource` cannot send headers.
#[must_use]
pub fn subscribe(source: &CaseSource, on_change: impl Fn(CaseChanged) + 'static) -> Subscription {
    let case_no = source.case_no().to_owned();
    let on_case = move |change: CaseChanged| {
        if change.case_no == case_no {
            on_change(change);
        }
    };
    let subscription = Subscription {
        slot: Rc::new(RefCell::new(None)),
        dropped: Rc::new(Cell::new(false)),
    };
    match source {
        CaseSource::Session { .. } => {
            *subscription.slot.borrow_mut() = listen("/api/events", on_case);
        }
        CaseSource::Track { .. } => {
            let tracked = Tracked {
                source: source.clone(),
                slot: subscription.slot.clone(),
                dropped: subscription.dropped.clone(),
                on_case: Rc::new(on_case),
            };
            tracked.open(0);
        }
    }
    subscription
}

/// A tracked case's stream while it opens: the token is fetched first, and fetched again
/// after a pause while the server is busy (429), failing (5xx) or out of reach, so a page
/// left open on a bad connection still goes live once the connection is back.
struct Tracked {
    source: CaseSource,
    slot: Rc<RefCell<Option<CaseEvents>>>,
    dropped: Rc<Cell<bool>>,
    on_case: Rc<dyn Fn(CaseChanged)>,
}

impl Tracked {
    fn open(self, attempt: u32) {
        wasm_bindgen_futures::spawn_local(async move {
            let token = super::stream_token(&self.source).await;
            if self.dropped.get() {
                return;
            }
            match token {
                Ok(token) => {
                    let case_no = self.source.case_no();
                    let url = format!("/api/events?case={}&token={}", encode(case_no), encode(&token.token));
                    let on_case = self.on_case.clone();
                    *self.slot.borrow_mut() = listen(&url, move |change| on_case(change));
                }
                Err(error) => {
                    if let Some(pause) = token_retry_pause(&error, attempt) {
                        leptos::prelude::set_timeout(move || self.open(attempt + 1), pause);
                    }
                }
            }
        });
    }
}

/// How long to wait before asking again for a stream token after `error` on the
/// `attempt`-th try (from 0): doubling from one second up to a minute, for as long as the
/// page is open. `None` when asking again cannot help (the key was refused or replaced).
#[must_use]
pub fn token_retry_pause(error: &super::ApiError, attempt: u32) -> Option<std::time::Duration> {
    const MAX_SECONDS: u64 = 60;
    let transient = error.status == 0 || error.status == 429 || error.status >= 500;
    transient.then(|| std::time::Duration::from_secs((1_u64 << attempt.min(6)).min(MAX_SECONDS)))
}

/// Listens for `case` events about any of the session player's cases, new ones included.
#[must_use]
pub fn subscribe_mine(on_change: impl Fn(CaseChanged) + 'static) -> Option<CaseEvents> {
    listen("/api/events", on_change)
}

/// Listens for `case` events on any event stream URL.
#[must_use]
pub fn listen(url: &str, on_change: impl Fn(CaseChanged) + 'static) -> Option<CaseEvents> {
    let events = web_sys::EventSource::new(url).ok()?;
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(change) = ev
            .data()
            .as_string()
            .and_then(|data| serde_json::from_str::<CaseChanged>(&data).ok())
        {
            on_change(change);
        }
    });
    events
        .add_event_listener_with_callback("case", listener.as_ref().unchecked_ref())
        .ok()?;
    Some(CaseEvents {
        source: events,
        _listener: listener,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::token_retry_pause;
    use crate::api::ApiError;

    #[test]
    fn a_busy_failing_or_unreachable_server_is_asked_again_later_and_later() {
        let busy = ApiError::local(429, refund_api::ErrorCode::RateLimited);
        let pauses: Vec<_> = (0..9).map(|attempt| token_retry_pause(&busy, attempt)).collect();
        let seconds: Vec<u64> = pauses.iter().map(|p| p.expect("retried").as_secs()).collect();
        assert_eq!(seconds, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(token_retry_pause(&ApiError::network(), 0), Some(Duration::from_secs(1)));
        assert_eq!(
            token_retry_pause(&ApiError::from_body(503, ""), 1),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_refused_key_is_not_asked_again() {
        for status in [400, 401, 403, 404] {
            assert_eq!(
                token_retry_pause(&ApiError::local(status, refund_api::ErrorCode::NoSession), 0),
                None,
                "{status}"
            );
        }
    }
}
