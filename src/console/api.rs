//! The console's requests: sign-in, the queue, a case, deciding, the phone, webhooks,
//! force majeure.
//! They go through the shared client, so errors arrive as the same [`ApiError`]s.

use gloo_net::http::Request;
use refund_api::{
    CalendarCoverage, ConsoleCase, CreditView, DecisionRequest, DecisionView, DeliveryView, ForceMajeureDecision,
    ForceMajeureView, LoginRequest, PlatformRow, QueueFilter, QueueRow, RevealedPhone, StaffView,
};

use crate::api::{ApiResult, CaseEvents, encode, exchange, get, json, listen};

/// `GET /api/console/session`: who is signed in (401 when nobody).
pub async fn session() -> ApiResult<StaffView> {
    json(get("/api/console/session")).await
}

/// `POST /api/console/login`.
pub async fn login(login: &str, password: &str) -> ApiResult<StaffView> {
    let body = LoginRequest {
        login: login.to_owned(),
        password: password.to_owned(),
    };
    json(Request::post("/api/console/login").json(&body)).await
}

/// `POST /api/console/logout`.
pub async fn logout() -> ApiResult<()> {
    exchange(Request::post("/api/console/logout").build()).await?;
    Ok(())
}

/// The query string of a queue filter (empty parts left out).
#[must_use]
pub fn queue_query(filter: &QueueFilter) -> String {
    let mut parts = Vec::new();
    if let Some(state) = filter.state {
        parts.push(format!("state={}", state.key()));
    }
    if let Some(appid) = &filter.appid {
        parts.push(format!("appid={}", encode(appid)));
    }
    if let Some(kind) = filter.kind {
        parts.push(format!("kind={}", kind.key()));
    }
    if filter.overdue {
        parts.push("overdue=true".to_owned());
    }
    if filter.due_soon {
        parts.push("due_soon=true".to_owned());
    }
    parts.join("&")
}

/// `GET /api/console/cases`: the queue, sorted by deadline.
pub async fn queue(filter: &QueueFilter) -> ApiResult<Vec<QueueRow>> {
    json(get(&format!("/api/console/cases?{}", queue_query(filter)))).await
}

/// `GET /api/console/cases/{no}`.
pub async fn case(case_no: &str) -> ApiResult<ConsoleCase> {
    json(get(&format!("/api/console/cases/{}", encode(case_no)))).await
}

/// `POST /api/console/cases/{no}/decision` (the same request again returns the first result).
pub async fn decide(case_no: &str, decision: &DecisionRequest) -> ApiResult<DecisionView> {
    let url = format!("/api/console/cases/{}/decision", encode(case_no));
    json(Request::post(&url).json(decision)).await
}

/// `POST /api/platform/cases/{no}/decision`: the platform's final decision.
pub async fn platform_decide(case_no: &str, decision: &DecisionRequest) -> ApiResult<DecisionView> {
    let url = format!("/api/platform/cases/{}/decision", encode(case_no));
    json(Request::post(&url).json(decision)).await
}

/// `GET /api/platform/cases`: the cases awaiting the platform, oldest first.
pub async fn platform_queue() -> ApiResult<Vec<PlatformRow>> {
    json(get("/api/platform/cases")).await
}

/// `GET /api/console/credit`: the developer's organisation's score and ledger.
pub async fn own_credit() -> ApiResult<CreditView> {
    json(get("/api/console/credit")).await
}

/// `GET /api/platform/credit`: every organisation's.
pub async fn every_credit() -> ApiResult<Vec<CreditView>> {
    json(get("/api/platform/credit")).await
}

/// `GET /api/platform/calendar`: the years with holiday notices, and those missing.
pub async fn calendar_coverage() -> ApiResult<CalendarCoverage> {
    json(get("/api/platform/calendar")).await
}

/// `POST /api/console/cases/{no}/reveal-phone`: the number, recorded in the timeline.
pub async fn reveal_phone(case_no: &str) -> ApiResult<RevealedPhone> {
    let url = format!("/api/console/cases/{}/reveal-phone", encode(case_no));
    json(Request::post(&url).build()).await
}

/// `GET /api/console/webhooks`: the delivery log.
pub async fn webhooks() -> ApiResult<Vec<DeliveryView>> {
    json(get("/api/console/webhooks")).await
}

/// `GET /api/platform/force-majeure` for platform staff (every organisation's reports),
/// else `GET /api/console/force-majeure` (the developer's organisation's).
pub async fn force_majeure_reports(platform: bool) -> ApiResult<Vec<ForceMajeureView>> {
    let url = if platform {
        "/api/platform/force-majeure"
    } else {
        "/api/console/force-majeure"
    };
    json(get(url)).await
}

/// `POST /api/console/force-majeure`: the report with its files, as multipart (text fields
/// first), with the fraction sent reported to `on_progress`.
pub async fn report_force_majeure(
    description: &str,
    starts_on: &str,
    ends_on: &str,
    files: &[web_sys::File],
    on_progress: impl Fn(f64) + 'static,
) -> ApiResult<ForceMajeureView> {
    let failed = |_| crate::api::ApiError::network();
    let form = web_sys::FormData::new().map_err(failed)?;
    for (name, value) in [
        ("description", description),
        ("starts_on", starts_on),
        ("ends_on", ends_on),
    ] {
        form.append_with_str(name, value).map_err(failed)?;
    }
    for file in files {
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(failed)?;
    }
    crate::api::post_form("/api/console/force-majeure", &form, on_progress).await
}

/// `POST /api/platform/force-majeure/{id}/decision`.
pub async fn decide_force_majeure(id: &str, decision: &ForceMajeureDecision) -> ApiResult<ForceMajeureView> {
    let url = format!("/api/platform/force-majeure/{}/decision", encode(id));
    json(Request::post(&url).json(decision)).await
}

/// Where one file of a force-majeure report is opened from.
#[must_use]
pub fn report_file_url(report_id: &str, file_id: &str) -> String {
    format!(
        "/api/console/force-majeure/{}/files/{}",
        encode(report_id),
        encode(file_id)
    )
}

/// Where one evidence file of a case is opened from.
#[must_use]
pub fn evidence_url(case_no: &str, id: &str) -> String {
    format!("/api/console/cases/{}/evidence/{}", encode(case_no), encode(id))
}

/// The console's live stream: every case event of the organisation.
#[must_use]
pub fn subscribe(on_change: impl Fn(refund_api::CaseChanged) + 'static) -> Option<CaseEvents> {
    listen("/api/events?audience=console", on_change)
}

#[cfg(test)]
mod tests {
    use refund_api::{CaseKind, CaseState};

    use super::*;

    #[test]
    fn the_queue_query_names_only_the_filters_set() {
        assert_eq!(queue_query(&QueueFilter::default()), "");
        let filter = QueueFilter {
            state: Some(CaseState::Submitted),
            appid: Some("wx a&b".into()),
            kind: Some(CaseKind::Complaint),
            overdue: true,
            due_soon: true,
        };
        assert_eq!(
            queue_query(&filter),
            "state=submitted&appid=wx%20a%26b&kind=complaint&overdue=true&due_soon=true"
        );
        assert_eq!(evidence_url("MR-1", "e/1"), "/api/console/cases/MR-1/evidence/e%2F1");
    }
}
