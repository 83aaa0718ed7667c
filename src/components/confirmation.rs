//! A step that cannot be undone, behind a confirmation: a button opens a panel that asks
//! the question, styled as the destructive step it is, with confirm and cancel. The
//! keyboard stays inside the panel until it is answered (Escape cancels), and focus goes
//! back to the button when it closes.

use leptos::prelude::*;

use crate::components::focus::confirmation_focus;
use crate::i18n::t;

/// The catalog keys of a confirmation's words.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmWords {
    /// The button that opens the panel.
    pub opener: &'static str,
    /// The question, which also names the panel.
    pub question: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
}

#[component]
pub fn Confirmation(
    /// Whether the panel is open; the caller closes it once the step is done.
    open: RwSignal<bool>,
    /// What the buttons and the question say.
    words: ConfirmWords,
    /// A page-unique id for the question.
    question_id: &'static str,
    /// While the step's request is under way, confirming again is disabled. The opening
    /// button stays enabled: focus returns to it, and a disabled button cannot take focus.
    #[prop(into)]
    pending: Signal<bool>,
    /// Runs when the user confirms.
    on_confirm: Callback<()>,
    /// More of the panel below the question: what the step does, a field for a reason.
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let panel = NodeRef::<leptos::html::Div>::new();
    let opener = NodeRef::<leptos::html::Button>::new();
    let on_key = confirmation_focus(open, panel, opener);
    let confirm = move |_| {
        if !pending.get_untracked() {
            on_confirm.run(());
        }
    };
    move || {
        if open.get() {
            view! {
                <div class="notice notice-danger" role="group" aria-labelledby=question_id
                    node_ref=panel on:keydown=on_key>
                    <p id=question_id class="notice-title">{t(words.question)}</p>
                    {children.clone().map(|more| more())}
                    <div class="row">
                        <button type="button" class="button danger" disabled=move || pending.get() on:click=confirm>
                            {t(words.confirm)}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>
                            {t(words.cancel)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="button secondary" node_ref=opener
                    on:click=move |_| open.set(true)>
                    {t(words.opener)}
                </button>
            }
            .into_any()
        }
    }
}
