//! `/console/force-majeure`: a developer reports an event that kept them from answering
//! and follows their reports; platform staff see every report, waiting ones first, look at
//! its files and accept it (the organisation's deadlines inside the period move later by
//! its working days) or reject it, with a note either way.

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{ForceMajeureDecision, ForceMajeureFile, ForceMajeureState, ForceMajeureView, MediaType, StaffRole};

use super::force_majeure_form::ReportForm;
use super::{Signed, api};
use crate::api::ApiError;
use crate::components::error_view::ErrorNotice;
use crate::components::loaded::{AsyncContent, Loaded};
use crate::format;
use crate::i18n::{t, tf, use_page_title};

fn state_key(state: ForceMajeureState) -> &'static str {
    match state {
        ForceMajeureState::Pending => "console.fm.state.pending",
        ForceMajeureState::Accepted => "console.fm.state.accepted",
        ForceMajeureState::Rejected => "console.fm.state.rejected",
    }
}

/// A file of a report: pictures as thumbnails, the rest as links, each opening the file.
fn file_link(report_id: &str, file: &ForceMajeureFile) -> impl IntoView + use<> {
    let url = api::report_file_url(report_id, &file.id);
    let size = format::file_size(file.size);
    let picture = matches!(file.media_type, MediaType::Jpeg | MediaType::Png | MediaType::Webp);
    let name = file.file_name.clone();
    let thumb = picture.then(|| view! { <img class="fm-thumb" src=url.clone() alt="" loading="lazy" /> });
    view! {
        <li>
            <a href=url target="_blank" rel="noopener">
                {thumb}
                <span>{name} " (" {size} ")"</span>
            </a>
        </li>
    }
}

/// Platform staff's decision on a waiting report.
#[component]
fn DecideReport(report: ForceMajeureView, on_done: Callback<()>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let id = report.id.clone();
    let action = Action::new_local(move |decision: &ForceMajeureDecision| {
        let (id, decision) = (id.clone(), decision.clone());
        async move { api::decide_force_majeure(&id, &decision).await }
    });
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_))) {
            on_done.run(());
        }
    });
    let send = move |accept: bool| {
        action.dispatch(ForceMajeureDecision {
            accept,
            note: note.get_untracked(),
        });
    };
    let field = format!("fm-note-{}", report.id);
    let (org, days) = (report.org_name.clone(), report.working_days.to_string());
    let effect = move || tf("console.fm.accept_effect", &[("org", &org), ("days", &days)]);
    let pending = action.pending();
    view! {
        <div class="fm-decide">
            <div class="field">
                <label for=field.clone()>{t("console.fm.note")}</label>
                <textarea id=field rows="2" required aria-required="true" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <p class="hint">{effect}</p>
            <div class="row">
                <button type="button" class="button primary" disabled=move || pending.get() on:click=move |_| send(true)>
                    {t("console.fm.accept")}
                </button>
                <button type="button" class="button" disabled=move || pending.get() on:click=move |_| send(false)>
                    {t("console.fm.reject")}
                </button>
            </div>
            {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
        </div>
    }
}

fn report_card(report: &ForceMajeureView, platform: bool, on_done: Callback<()>) -> impl IntoView + use<> {
    let title_id = format!("fm-{}", report.id);
    let labelled_by = title_id.clone();
    let org = platform.then(|| format!("{} · ", report.org_name));
    let period = format!("{} – {}", report.starts_on, report.ends_on);
    // A rejected report moved nothing: its working days would read as a wrong count.
    let days = (report.state != ForceMajeureState::Rejected).then(|| report.working_days.to_string());
    let by = report.reported_by.clone();
    let at = format::date_time(&report.reported_at);
    let files = report.files.iter().map(|f| file_link(&report.id, f)).collect_view();
    let outcome = report.decision_note.clone().map(|note| {
        let moved = report.moved_cases.map(|n| n.to_string());
        let decided = report.decided_at.as_ref().map(format::date_time).unwrap_or_default();
        view! {
            <p class="muted">{move || tf("console.fm.decided", &[("at", &decided)])}</p>
            <p><strong>{t("console.fm.platform_note")}</strong> " " {note}</p>
            {moved.map(|n| view! { <p>{move || tf("console.fm.moved", &[("n", &n)])}</p> })}
        }
    });
    let waiting = platform && report.state == ForceMajeureState::Pending;
    let decide = waiting.then(|| view! { <DecideReport report=report.clone() on_done /> });
    view! {
        <article class="fm-report" aria-labelledby=labelled_by>
            <h3 id=title_id>
                {org}
                <span class="nowrap">{period}</span>
            </h3>
            <p>
                <span class=format!("badge fm-{}", report.state.key())>{t(state_key(report.state))}</span>
                {days.map(|days| view! { " " {move || tf("console.fm.working_days", &[("n", &days)])} })}
            </p>
            <p class="fm-description">{report.description.clone()}</p>
            <p class="muted">{move || tf("console.fm.reported", &[("by", &by), ("at", &at)])}</p>
            <ul class="fm-files" aria-label=t("console.fm.files")>{files}</ul>
            {outcome}
            {decide}
        </article>
    }
}

#[component]
pub fn ForceMajeure() -> impl IntoView {
    use_page_title("console.fm.title");
    let signed = expect_context::<Signed>();
    let platform = signed.staff().is_some_and(|s| s.role == StaffRole::Platform);
    let reports = LocalResource::new(move || api::force_majeure_reports(platform));
    let refresh = Callback::new(move |()| reports.refetch());
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let reports = reports.await?;
            if reports.is_empty() {
                return Ok(view! { <p>{t("console.fm.none")}</p> }.into_any());
            }
            Ok(reports
                .iter()
                .map(|r| report_card(r, platform, refresh))
                .collect_view()
                .into_any())
        })
    });
    view! {
        <h1>{t("console.fm.title")}</h1>
        <p class="muted">{t(if platform { "console.fm.intro_platform" } else { "console.fm.intro_developer" })}</p>
        {(!platform).then(|| view! { <ReportForm on_sent=refresh /> })}
        <section aria-labelledby="fm-list-title" class="fm-list">
            <h2 id="fm-list-title">{t("console.fm.list")}</h2>
            <Loaded content />
        </section>
    }
}
