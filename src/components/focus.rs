//! Moving keyboard focus where the user's attention belongs: to an element once the view
//! has caught up, and kept inside a panel that asks for a decision (a confirmation), where
//! Tab and Shift+Tab cycle through the panel's controls and Escape cancels.

use std::time::Duration;

use leptos::html::{Button, Div};
use leptos::prelude::{Effect, Get, GetUntracked, NodeRef, RwSignal, Set, document, set_timeout};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// What a key press in the panel asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelKey {
    Cancel,
    Other,
}

const FOCUSABLE: &str = "button:not([disabled]), textarea, input, select, a[href]";

/// Handles a keydown inside `panel`: wraps Tab at either end, and reports Escape.
pub fn keep_focus(ev: &KeyboardEvent, panel: &Element) -> PanelKey {
    match ev.key().as_str() {
        "Escape" => return PanelKey::Cancel,
        "Tab" => {}
        _ => return PanelKey::Other,
    }
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else {
        return PanelKey::Other;
    };
    let controls: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return PanelKey::Other;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = |el: &HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<Element>());
    let wrap_to = if ev.shift_key() && at(first) {
        Some(last)
    } else if !ev.shift_key() && at(last) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = wrap_to {
        ev.prevent_default();
        let _ = target.focus();
    }
    PanelKey::Other
}

/// Moves focus to the first control inside `panel`.
pub fn focus_first(panel: &Element) {
    if let Ok(Some(first)) = panel.query_selector(FOCUSABLE)
        && let Ok(first) = first.dyn_into::<HtmlElement>()
    {
        let _ = first.focus();
    }
}

/// Focuses the element with `id` once the view has caught up with the state change.
pub fn focus_later(id: String) {
    set_timeout(
        move || {
            if let Some(el) = document()
                .get_element_by_id(&id)
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        },
        Duration::ZERO,
    );
}

/// Wires a confirmation panel to the button that opens it: focus moves into the panel when
/// `open` turns true and back to `opener` when it closes. Returns the panel's keydown
/// handler, which keeps Tab inside the panel and closes it on Escape.
pub fn confirmation_focus(
    open: RwSignal<bool>,
    panel: NodeRef<Div>,
    opener: NodeRef<Button>,
) -> impl Fn(KeyboardEvent) + Copy + 'static {
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open {
            if let Some(panel) = panel.get() {
                focus_first(&panel);
            }
        } else if was_open == Some(true)
            && let Some(button) = opener.get()
        {
            let _ = button.focus();
        }
        is_open
    });
    move |ev: KeyboardEvent| {
        if let Some(el) = panel.get_untracked()
            && keep_focus(&ev, &el) == PanelKey::Cancel
        {
            open.set(false);
        }
    }
}
