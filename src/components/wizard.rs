//! The step-by-step application form shared by the minor-refund and the complaint page.
//!
//! Policy: one machinery for both kinds; the kind decides the steps (`form::steps_for`),
//! the evidence categories and the draft key. The draft is saved to localStorage on every
//! change; leaving a step validates it; a server 422 is shown beside its field. Each step
//! forward is a history entry, so the back button goes one step back.

mod about_step;
mod context;
mod evidence_block;
mod evidence_example;
mod evidence_step;
mod fields;
mod guardian_step;
mod history;
mod narrative_step;
mod orders_step;
mod privacy_notice;
mod progress;
mod review_step;
mod submit;
mod upload_list;

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{CaseKind, OrderView, SessionView};

use crate::api;
use crate::components::loaded::{AsyncContent, Loaded};
use crate::draft::Draft;
use crate::form::{FieldErrors, Step};
use crate::storage;

pub use context::FormCtx;

fn this_year() -> i32 {
    // The year only bounds the birth-year list and rejects future births.
    i32::try_from(js_sys::Date::new_0().get_full_year()).unwrap_or(2025)
}

pub(crate) fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        // Math.random suffices: the key only has to be unique per draft, not secret.
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    crate::draft::uuid_v4(bytes)
}

/// Loads the session (limits, game) and the player's orders, then shows the form.
#[component]
pub fn CaseFormPage(
    /// Minor refund or complaint.
    kind: CaseKind,
) -> impl IntoView {
    let session = LocalResource::new(api::session);
    let orders = LocalResource::new(api::orders);
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let session = session.await?;
            let orders = orders.await?;
            Ok(view! { <CaseForm kind session orders /> }.into_any())
        })
    });
    view! { <Loaded content /> }
}

/// The form itself, once its data is there.
#[component]
pub fn CaseForm(
    /// Minor refund or complaint.
    kind: CaseKind,
    /// The player's session: limits and the game (drafts are kept per game).
    session: SessionView,
    /// The player's orders in this game.
    orders: Vec<OrderView>,
) -> impl IntoView {
    let storage_key = Draft::storage_key(kind, &session.appid);
    let steps = crate::form::steps_for(kind);
    let mut initial =
        storage::load_draft(&storage_key, kind).unwrap_or_else(|| Draft::new(kind, new_idempotency_key()));
    initial.keep_claimable_orders(&orders);
    initial.step = initial.step.min(steps.len() - 1);

    let draft = RwSignal::new(initial);
    let consent = session.privacy_consent;
    let ctx = FormCtx {
        kind,
        draft,
        errors: RwSignal::new(FieldErrors::new()),
        session: StoredValue::new(session),
        orders: StoredValue::new(orders),
        this_year: this_year(),
        storage_key: StoredValue::new(storage_key.clone()),
        uploads: RwSignal::new(Vec::new()),
        upload_seq: StoredValue::new(0),
        consented: RwSignal::new(consent),
        previews: StoredValue::new(std::collections::BTreeMap::new()),
        from_review: RwSignal::new(false),
    };
    provide_context(ctx);
    Effect::new(move |_| draft.with(|d| storage::save_draft(&storage_key, d)));
    history::follow_history(ctx);

    let step = Memo::new(move |_| draft.with(|d| d.step));
    // Past the first step, the parent is filling in the form: fetch the case page's bundle
    // ahead, so it opens at once after submitting.
    Effect::new(move |_| {
        if step.get() > 0 {
            crate::prefetch::follow_up_bundle();
        }
    });
    view! {
        <progress::StepProgress />
        <form class="case-form" novalidate on:submit=|ev| ev.prevent_default()>
            {move || match steps[step.get()] {
                Step::Orders => view! { <orders_step::OrdersStep /> }.into_any(),
                Step::Guardian => view! { <guardian_step::GuardianStep /> }.into_any(),
                Step::About => view! { <about_step::AboutStep /> }.into_any(),
                Step::Narrative => view! { <narrative_step::NarrativeStep /> }.into_any(),
                Step::Evidence => view! { <evidence_step::EvidenceStep /> }.into_any(),
                Step::Review => view! { <review_step::ReviewStep /> }.into_any(),
            }}
            <progress::StepNav />
        </form>
    }
}
