//! `/cases/:no/appeal`: appealing a decision that did not give everything. The page loads
//! the case, says until when the appeal is open, and hands over to the appeal form; a case
//! that cannot be appealed now says so and links back.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use refund_api::{CaseDetail, NextStepKind};

use crate::api::{self, CaseSource};
use crate::components::appeal::{AppealForm, rejected_for};
use crate::components::dated::Dated;
use crate::components::loaded::{AsyncContent, Loaded};
use crate::format;
use crate::i18n::{t, use_page_title};

fn body(case: &CaseDetail) -> AnyView {
    let back = format!("/cases/{}", api::encode(&case.summary.case_no));
    let Some(step) = case.next_step.filter(|s| s.kind == NextStepKind::Appeal) else {
        return view! {
            <p>{t("appeal.not_open")}</p>
            <p><a href=back>{t("appeal.back")}</a></p>
        }
        .into_any();
    };
    let (until, iso) = (format::date_time(&step.until), format::iso(&step.until));
    view! {
        <p class="lead">{t("appeal.intro")}</p>
        <Dated key="next.appeal_until" date=until iso class="notice" />
        <AppealForm case_no=case.summary.case_no.clone() kind=case.summary.kind rejected_for=rejected_for(case) />
        <p><a href=back>{t("appeal.back")}</a></p>
    }
    .into_any()
}

#[component]
pub fn AppealPage() -> impl IntoView {
    use_page_title("appeal.title");
    let params = use_params_map();
    let case_no = move || params.with(|p| p.get("no").unwrap_or_default());
    let case = LocalResource::new(move || {
        let source = CaseSource::Session { case_no: case_no() };
        async move { api::case_detail(&source).await }
    });
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let case = case.await?;
            Ok(body(&case))
        })
    });
    view! {
        <h1>{t("appeal.title")} " " <span class="case-no">{case_no}</span></h1>
        <Loaded content />
    }
}
