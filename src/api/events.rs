//! Live updates: server-sent events through the browser's `EventSource`.

use refund_api::CaseChanged;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::CaseSource;

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

/// Listens for `case` events about one case; the browser reconnects by itself and sends
/// `Last-Event-ID`, and the server replays what was missed.
#[must_use]
pub fn subscribe(source: &CaseSource, on_change: impl Fn(CaseChanged) + 'static) -> Option<CaseEvents> {
    let case_no = source.case_no().to_owned();
    listen(&source.events_url(), move |change| {
        if change.case_no == case_no {
            on_change(change);
        }
    })
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
