//! Submitting the draft: once (the button is disabled while pending, and the idempotency
//! key makes a retried request harmless), then on to the new case's page.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use refund_api::{CaseCreated, CaseKind, Demand, ErrorCode, NewCase};

use super::FormCtx;
use crate::api::{self, ApiError, ApiResult};
use crate::components::error_view::ErrorNotice;
use crate::form::{self, FieldError, FieldErrors, build_new_case};
use crate::i18n::{has_key, t};
use crate::storage;

/// The server's verdict beside the field it names, when the form has that field.
fn field_error_from(ctx: FormCtx, error: &ApiError) -> Option<FieldErrors> {
    let names_orders = error.is(ErrorCode::OrderNotFound) || error.is(ErrorCode::OrderInOpenCase);
    let field = match error.field.as_deref() {
        Some(f) => f,
        None if names_orders => "order_nos",
        None => return None,
    };
    if !form::is_form_field(ctx.kind, field) {
        return None;
    }
    let key = format!("error.{}", error.code);
    let message = Some(error.message.clone()).filter(|m| !m.is_empty());
    let shown = if has_key(&key) {
        FieldError {
            key: key.into(),
            params: error.params.clone(),
            detail: None,
        }
    } else {
        FieldError {
            key: "invalid.server".into(),
            params: Vec::new(),
            detail: message,
        }
    };
    Some(FieldErrors::from([(field.to_owned(), shown)]))
}

fn on_created(ctx: FormCtx, created: &CaseCreated, navigate: &impl Fn(&str, NavigateOptions)) {
    storage::save_tracking_key(&created.case_no, &created.tracking_key);
    storage::remove(&ctx.storage_key.get_value());
    // The case page opens with the confirmation of what happens next, and by when; how
    // the developer may reach the parent, and whether money is asked back, as given here.
    let (by_email, money) = ctx.draft.with_untracked(|d| {
        let complaint = d.kind == CaseKind::Complaint;
        let by_email = complaint && d.complaint.contact.contains('@');
        let money = !d.order_nos.is_empty() || (complaint && d.complaint.demands.contains(&Demand::Refund));
        (by_email, money)
    });
    navigate(
        &format!(
            "/cases/{}?submitted={}&reach={}&money={}",
            api::encode(&created.case_no),
            crate::format::date(&created.due_at),
            if by_email { "email" } else { "phone" },
            u8::from(money),
        ),
        NavigateOptions::default(),
    );
}

fn on_failed(ctx: FormCtx, error: ApiError, form_error: RwSignal<Option<ApiError>>) {
    if error.is_rejection() {
        // Nothing was created, so a corrected submission is a new request.
        ctx.draft.update(|d| d.idempotency_key = super::new_idempotency_key());
    }
    match field_error_from(ctx, &error) {
        Some(errors) => ctx.show_errors(errors),
        None => form_error.set(Some(error)),
    }
}

/// The submit button with its pending state and any error that belongs to no field.
#[component]
pub fn SubmitButton() -> impl IntoView {
    let ctx = FormCtx::get();
    let navigate = use_navigate();
    let form_error = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(|(key, case): &(String, NewCase)| {
        let (key, case) = (key.clone(), case.clone());
        async move { api::create_case(&key, &case).await }
    });
    let pending = action.pending();
    Effect::new(move |_| {
        let result: Option<ApiResult<CaseCreated>> = action.value().get();
        match result {
            Some(Ok(created)) => on_created(ctx, &created, &navigate),
            Some(Err(error)) => on_failed(ctx, error, form_error),
            None => {}
        }
    });
    let submit = move |_| {
        if pending.get_untracked() {
            return;
        }
        form_error.set(None);
        match ctx.draft.with_untracked(|d| build_new_case(d, ctx.this_year)) {
            Err(errors) => ctx.show_errors(errors),
            Ok(case) => {
                let key = ctx.draft.with_untracked(|d| d.idempotency_key.clone());
                action.dispatch_local((key, case));
            }
        }
    };
    let busy = move || pending.get() || ctx.uploading();
    view! {
        <Show when=move || ctx.uploading()>
            <p class="notice" role="status">{t("review.wait_uploads")}</p>
        </Show>
        <button
            type="button"
            class="button primary wide"
            disabled=busy
            aria-busy=move || pending.get().to_string()
            on:click=submit
        >
            {move || {
                let complaint = ctx.draft.with(|d| d.kind == refund_api::CaseKind::Complaint);
                let key = match (pending.get(), complaint) {
                    (true, _) => "review.submitting",
                    (false, true) => "review.submit_complaint",
                    (false, false) => "review.submit",
                };
                t(key)()
            }}
        </button>
        {move || form_error.get().map(|error| view! { <ErrorNotice error /> })}
    }
}
