//! Force majeure: a developer reports an event (`POST /api/console/force-majeure`,
//! multipart: `description`, `starts_on`, `ends_on` as `YYYY-MM-DD`, then one to
//! [`FORCE_MAJEURE_MAX_FILES`] `file` parts) and reads their organisation's reports
//! (`GET /api/console/force-majeure`); platform staff read every report
//! (`GET /api/platform/force-majeure`) and accept or reject it with a note
//! (`POST /api/platform/force-majeure/{id}/decision`). Both read the files
//! (`GET /api/console/force-majeure/{id}/files/{file_id}`).
//!
//! Files stream into staging as evidence does; the report is checked once the whole
//! body is read, and only then are its files pinned, placed and recorded with it.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use refund_api::{
    ErrorCode, FORCE_MAJEURE_MAX_FILES, ForceMajeureDecision, ForceMajeureFile, ForceMajeureState, ForceMajeureView,
    StaffRole,
};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::auth::{CurrentDeveloper, CurrentPlatform, CurrentStaff};
use super::case_views::shanghai_time;
use super::evidence::{MULTIPART_OVERHEAD, StoredFile, file_response};
use super::openapi::{
    BadRequest, ByteRange, Conflict, FileResponses, Forbidden, InternalError, JsonBodyErrors, NotFound,
    PayloadTooLarge, ReportFile as ReportFileParams, ReportId, Unauthorized, Unprocessable, UnsupportedMediaType,
};
use crate::app::AppState;
use crate::config::Config;
use crate::domain::calendar::{Deadline, shanghai};
use crate::domain::force_majeure::{self, Period, Refusal};
use crate::error::{AppError, AppJson, AppMultipart, AppPath, AppResult};
use crate::secrets::random_token;
use crate::store::{Acceptance, ForceMajeureRecord, NewForceMajeure, ReportDecisionError, ReportFile, ReportOwner};

mod form;

use form::{ReportUpload, date, read_form};

pub fn router(config: &Config) -> OpenApiRouter<AppState> {
    let files = u64::try_from(FORCE_MAJEURE_MAX_FILES).unwrap_or(u64::MAX);
    let body_limit =
        usize::try_from(config.max_file_bytes.saturating_mul(files) + MULTIPART_OVERHEAD).unwrap_or(usize::MAX);
    OpenApiRouter::new()
        .routes(routes!(report).layer(DefaultBodyLimit::max(body_limit)))
        .routes(routes!(own))
        .routes(routes!(file))
        .routes(routes!(every))
        .routes(routes!(decide))
}

fn refused(refusal: Refusal) -> AppError {
    refusal.params.into_iter().fold(
        AppError::invalid(refusal.code, refusal.field, refusal.message),
        |error, (name, value)| error.with(name, value),
    )
}

/// Reports a force majeure event with its evidence.
#[utoipa::path(
    post,
    path = "/console/force-majeure",
    tag = "console",
    operation_id = "report_force_majeure",
    request_body(content = ReportUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Reported; platform staff decide on it.", body = ForceMajeureView),
        BadRequest,
        Unauthorized,
        Forbidden,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn report(
    State(state): State<AppState>,
    CurrentDeveloper(developer): CurrentDeveloper,
    AppMultipart(mut multipart): AppMultipart,
) -> AppResult<(StatusCode, AppJson<ForceMajeureView>)> {
    let form = read_form(&state, &mut multipart).await?;
    let now = state.clock.now();
    let checked = (|| {
        let description = force_majeure::description(&form.description).map_err(refused)?;
        let (starts_on, ends_on) = (date(&form.starts_on, "starts_on")?, date(&form.ends_on, "ends_on")?);
        let today = now.with_timezone(&shanghai()).date_naive();
        let period = Period::reported(starts_on, ends_on, today).map_err(refused)?;
        if form.files.is_empty() {
            return Err(AppError::invalid(
                ErrorCode::MissingFile,
                "file",
                "Attach evidence of the event.",
            ));
        }
        Ok((description, period))
    })();
    let (description, period) = match checked {
        Ok(checked) => checked,
        Err(e) => {
            for (staged, _) in &form.files {
                state.files.discard(staged).await;
            }
            return Err(e);
        }
    };
    let mut files = Vec::new();
    for (staged, file_name) in &form.files {
        state.store.pin_content(&staged.sha256, now).await?;
        state.files.place(staged).await?;
        files.push(ReportFile {
            id: random_token(12),
            sha256: staged.sha256.clone(),
            size: i64::try_from(staged.size).unwrap_or(i64::MAX),
            media_type: staged.media_type,
            file_name: file_name.clone(),
        });
    }
    let id = random_token(12);
    let new = NewForceMajeure {
        id: &id,
        org_id: &developer.org_id,
        description: &description,
        starts_on: period.starts_on,
        ends_on: period.ends_on,
        reported_by: &developer.login,
        at: now,
        files: &files,
    };
    state.store.insert_force_majeure(&new).await?;
    tracing::info!(report = %id, org = %developer.org_id, files = files.len(), "force majeure reported");
    Ok((StatusCode::CREATED, AppJson(view_of(&state, &id).await?)))
}

/// The organisation's reports, newest first.
#[utoipa::path(
    get,
    path = "/console/force-majeure",
    tag = "console",
    operation_id = "console_force_majeure",
    responses(
        (status = 200, description = "The organisation's reports.", body = Vec<ForceMajeureView>),
        Unauthorized,
        Forbidden,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn own(
    State(state): State<AppState>,
    CurrentDeveloper(developer): CurrentDeveloper,
) -> AppResult<AppJson<Vec<ForceMajeureView>>> {
    let reports = state.store.force_majeure_reports(Some(&developer.org_id)).await?;
    Ok(AppJson(views(&state, &reports)?))
}

/// Every organisation's reports.
#[utoipa::path(
    get,
    path = "/platform/force-majeure",
    tag = "platform",
    operation_id = "platform_force_majeure",
    responses(
        (status = 200, description = "Every report.", body = Vec<ForceMajeureView>),
        Unauthorized,
        Forbidden,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn every(
    State(state): State<AppState>,
    CurrentPlatform(_): CurrentPlatform,
) -> AppResult<AppJson<Vec<ForceMajeureView>>> {
    let reports = state.store.force_majeure_reports(None).await?;
    Ok(AppJson(views(&state, &reports)?))
}

/// A report's file, for the developer organisation that sent it and platform staff.
#[utoipa::path(
    get,
    path = "/console/force-majeure/{id}/files/{file_id}",
    tag = "console",
    operation_id = "force_majeure_file",
    params(ReportFileParams, ByteRange),
    responses(FileResponses, Unauthorized, NotFound, InternalError),
    security(("console_session" = []))
)]
async fn file(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    AppPath((id, file_id)): AppPath<(String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let report = state
        .store
        .force_majeure_report(&id)
        .await?
        .filter(|r| staff.role == StaffRole::Platform || staff.org_id.as_deref() == Some(r.org_id.as_str()))
        .ok_or(AppError::NotFound)?;
    let file = report
        .files
        .iter()
        .find(|f| f.id == file_id)
        .ok_or(AppError::NotFound)?;
    let stored = StoredFile {
        sha256: &file.sha256,
        size: file.size,
        media_type: file.media_type,
    };
    file_response(&state, stored, &headers).await
}

/// Accepts (moving the organisation's deadlines) or rejects a report, with a note.
#[utoipa::path(
    post,
    path = "/platform/force-majeure/{id}/decision",
    tag = "platform",
    operation_id = "decide_force_majeure",
    params(ReportId),
    request_body = ForceMajeureDecision,
    responses(
        (status = 200, description = "Decided: the report as it is now.", body = ForceMajeureView),
        JsonBodyErrors,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn decide(
    State(state): State<AppState>,
    CurrentPlatform(login): CurrentPlatform,
    AppPath(id): AppPath<String>,
    AppJson(decision): AppJson<ForceMajeureDecision>,
) -> AppResult<AppJson<ForceMajeureView>> {
    let note = force_majeure::decision_note(&decision.note).map_err(refused)?;
    let report = state.store.force_majeure_report(&id).await?.ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let outcome = if decision.accept {
        let (starts_on, ends_on) = report.dates()?;
        let period = Period { starts_on, ends_on };
        let earlier = accepted_periods(&state, ReportOwner::Org(&report.org_id), starts_on).await?;
        let days = period.working_days_beyond(&state.calendar, &earlier);
        let calendar = &state.calendar;
        let move_deadline = move |due| force_majeure::moved_deadline(calendar, due, days).with_timezone(&Utc);
        let acceptance = Acceptance {
            id: &id,
            decided_by: &login,
            note: &note,
            at: now,
            span: period.span(),
            period_note: &format!("{starts_on} ~ {ends_on}"),
            days,
            move_deadline: &move_deadline,
        };
        state.store.accept_force_majeure(&acceptance).await.map(|events| {
            tracing::info!(report = %id, moved = events.len(), days, "force majeure accepted");
            for event in &events {
                state.announce(event);
            }
        })
    } else {
        state.store.reject_force_majeure(&id, &login, &note, now).await
    };
    outcome.map_err(|e| match e {
        ReportDecisionError::NotFound => AppError::NotFound,
        ReportDecisionError::AlreadyDecided => {
            AppError::conflict(ErrorCode::AlreadyDecided, "This report has been decided already.")
        }
        ReportDecisionError::Storage(e) => e.into(),
    })?;
    Ok(AppJson(view_of(&state, &id).await?))
}

/// The deadline `days` working days after `now` for a case of `appid`'s game: the days of
/// its developer's accepted force majeure do not count.
pub(super) async fn deadline_for_game(
    state: &AppState,
    appid: &str,
    now: DateTime<Utc>,
    days: u32,
) -> AppResult<Deadline> {
    let today = now.with_timezone(&shanghai()).date_naive();
    let excused = accepted_periods(state, ReportOwner::Game(appid), today).await?;
    Ok(force_majeure::deadline(&state.calendar, now, days, &excused))
}

/// The accepted periods of an organisation that end on or after `since`.
async fn accepted_periods(state: &AppState, owner: ReportOwner<'_>, since: NaiveDate) -> AppResult<Vec<Period>> {
    let periods = state.store.accepted_force_majeure(owner, since).await?;
    Ok(periods
        .into_iter()
        .map(|(starts_on, ends_on)| Period { starts_on, ends_on })
        .collect())
}

async fn view_of(state: &AppState, id: &str) -> AppResult<ForceMajeureView> {
    let report = state.store.force_majeure_report(id).await?.ok_or(AppError::NotFound)?;
    let same_org = state.store.force_majeure_reports(Some(&report.org_id)).await?;
    views(state, &same_org)?
        .into_iter()
        .find(|v| v.id == id)
        .ok_or(AppError::NotFound)
}

/// Reports as shown. How many working days one moves deadlines: for an accepted report,
/// what it moved; for the others, what accepting it now would move (the days no accepted
/// report of the same organisation covers).
fn views(state: &AppState, reports: &[ForceMajeureRecord]) -> AppResult<Vec<ForceMajeureView>> {
    let mut accepted: Vec<(String, Period)> = Vec::new();
    for report in reports.iter().filter(|r| r.state == ForceMajeureState::Accepted) {
        let (starts_on, ends_on) = report.dates()?;
        accepted.push((report.org_id.clone(), Period { starts_on, ends_on }));
    }
    reports
        .iter()
        .map(|report| {
            let others: Vec<Period> = accepted
                .iter()
                .filter(|(org, _)| *org == report.org_id)
                .map(|(_, p)| *p)
                .collect();
            view(state, report, &others)
        })
        .collect()
}

fn view(state: &AppState, report: &ForceMajeureRecord, accepted: &[Period]) -> AppResult<ForceMajeureView> {
    let (starts_on, ends_on) = report.dates()?;
    let period = Period { starts_on, ends_on };
    let working_days = match report.moved_days {
        Some(days) => u32::try_from(days).unwrap_or(0),
        None => period.working_days_beyond(&state.calendar, accepted),
    };
    Ok(ForceMajeureView {
        id: report.id.clone(),
        org_id: report.org_id.clone(),
        org_name: report.org_name.clone(),
        description: report.description.clone(),
        starts_on,
        ends_on,
        working_days,
        reported_by: report.reported_by.clone(),
        reported_at: shanghai_time(report.reported_at),
        state: report.state,
        decided_at: report.decided_at.map(|at| shanghai_time(at.0)),
        decision_note: report.decision_note.clone(),
        moved_cases: report.moved_cases.and_then(|n| u32::try_from(n).ok()),
        files: report
            .files
            .iter()
            .map(|f| ForceMajeureFile {
                id: f.id.clone(),
                file_name: f.file_name.clone(),
                media_type: f.media_type,
                size: u64::try_from(f.size).unwrap_or(0),
            })
            .collect(),
    })
}
