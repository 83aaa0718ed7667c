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
        CaseSource::Track { case_no, .. } => {
            let (slot, dropped) = (subscription.slot.clone(), subscription.dropped.clone());
            let (source, case_no) = (source.clone(), case_no.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(token) = super::stream_token(&source).await else {
                    return;
                };
                if !dropped.get() {
                    let url = format!("/api/events?case={}&token={}", encode(&case_no), encode(&token.token));
                    *slot.borrow_mut() = listen(&url, on_case);
                }
            });
        }
    }
    subscription
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
