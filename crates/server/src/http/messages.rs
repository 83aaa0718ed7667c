//! Messages between the player, the developer and platform staff
//! (`POST /api/cases/{no}/messages`, `POST /api/console/cases/{no}/messages`), and the developer revealing the guardian's
//! phone or the complainant's contact (`POST /api/console/cases/{no}/reveal-phone`). Both are timeline
//! entries, written through the store's one path for events, and notify the other side.

use axum::extract::State;
use axum::http::StatusCode;
use refund_api::ErrorCode;
use refund_api::{
    Actor, CaseState, EventKind, MESSAGE_MAX_CHARS, MessageRequest, RevealedPhone, StaffRole, TimelineEntry,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentDeveloper, CurrentPlayer, CurrentStaff};
use super::case_views::timeline_entry;
use super::openapi::{CaseNo, Conflict, Forbidden, InternalError, JsonBodyErrors, NotFound, Unauthorized};
use crate::app::AppState;
use crate::domain::application::CaseDetails;
use crate::error::{AppError, AppJson, AppPath, AppResult};
use crate::store::{CaseNote, CaseScope, ChangeError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(from_player))
        .routes(routes!(from_staff))
        .routes(routes!(reveal_phone))
}

/// A message from the player on their open case, with files they uploaded.
#[utoipa::path(
    post,
    path = "/cases/{no}/messages",
    tag = "cases",
    operation_id = "player_message",
    params(CaseNo),
    request_body = MessageRequest,
    responses(
        (status = 201, description = "Sent: the message's timeline entry.", body = TimelineEntry),
        JsonBodyErrors,
        Unauthorized,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn from_player(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(case_no): AppPath<String>,
    AppJson(message): AppJson<MessageRequest>,
) -> AppResult<(StatusCode, AppJson<TimelineEntry>)> {
    let scope = CaseScope::Player {
        appid: &player.appid,
        openid: &player.openid,
    };
    post_message(&state, &case_no, scope, Actor::Player, &message).await
}

/// A message from a desk: a developer (their organisation's cases) or platform staff
/// (any case, written to both sides).
#[utoipa::path(
    post,
    path = "/console/cases/{no}/messages",
    tag = "console",
    operation_id = "console_message",
    params(CaseNo),
    request_body = MessageRequest,
    responses(
        (status = 201, description = "Sent: the message's timeline entry.", body = TimelineEntry),
        JsonBodyErrors,
        Unauthorized,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn from_staff(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    AppPath(case_no): AppPath<String>,
    AppJson(message): AppJson<MessageRequest>,
) -> AppResult<(StatusCode, AppJson<TimelineEntry>)> {
    if !message.evidence_ids.is_empty() {
        return Err(AppError::invalid(
            ErrorCode::EvidenceNotAllowed,
            "evidence_ids",
            "Files cannot be attached to messages from the console yet; describe what you need in words.",
        ));
    }
    let (scope, actor) = match (staff.role, staff.org_id.as_deref()) {
        (StaffRole::Developer, Some(org)) => (CaseScope::Org(org), Actor::Developer),
        _ => (CaseScope::Any, Actor::Platform),
    };
    post_message(&state, &case_no, scope, actor, &message).await
}

/// A message on an open case, as a timeline entry.
async fn post_message(
    state: &AppState,
    case_no: &str,
    scope: CaseScope<'_>,
    actor: Actor,
    message: &MessageRequest,
) -> AppResult<(StatusCode, AppJson<TimelineEntry>)> {
    let text = message.text.trim();
    if text.is_empty() || text.chars().count() > MESSAGE_MAX_CHARS {
        return Err(AppError::invalid(
            ErrorCode::MessageLength,
            "text",
            format!("Write a message of 1 to {MESSAGE_MAX_CHARS} characters."),
        ));
    }
    let note = CaseNote {
        case_no,
        scope,
        actor,
        kind: EventKind::Message,
        note: Some(text),
        evidence_ids: &message.evidence_ids,
        at: state.clock.now(),
    };
    let (_, event) = state.store.record_event(note, open_only).await.map_err(change_error)?;
    state.announce(&event);
    Ok((StatusCode::CREATED, AppJson(timeline_entry(event.event))))
}

/// The guardian's full phone number, and an entry in the timeline saying it was seen.
#[utoipa::path(
    post,
    path = "/console/cases/{no}/reveal-phone",
    tag = "console",
    operation_id = "console_reveal_phone",
    params(CaseNo),
    responses(
        (status = 200, description = "The full phone number or contact.", body = RevealedPhone),
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn reveal_phone(
    State(state): State<AppState>,
    CurrentDeveloper(developer): CurrentDeveloper,
    AppPath(case_no): AppPath<String>,
) -> AppResult<AppJson<RevealedPhone>> {
    let note = CaseNote {
        case_no: &case_no,
        scope: CaseScope::Org(&developer.org_id),
        actor: Actor::Developer,
        kind: EventKind::PhoneRevealed,
        note: None,
        evidence_ids: &[],
        at: state.clock.now(),
    };
    let (details, event) = state.store.record_event(note, open_only).await.map_err(change_error)?;
    let details: CaseDetails =
        serde_json::from_str(&details).map_err(|e| AppError::Internal(format!("case {case_no} details: {e}")))?;
    // A minor refund's guardian phone, or the contact a complainant gave (complaints filed
    // before contacts were asked for have none).
    let phone = details
        .guardian
        .map(|g| g.phone)
        .or_else(|| details.complaint.map(|c| c.contact))
        .filter(|contact| !contact.is_empty())
        .ok_or_else(|| AppError::NotFoundWith {
            code: ErrorCode::NoPhone,
            message: "This case has no contact to reveal.".to_owned(),
        })?;
    state.announce(&event);
    Ok(AppJson(RevealedPhone { phone }))
}

fn open_only(state: CaseState) -> AppResult<()> {
    if state.is_open() {
        Ok(())
    } else {
        Err(AppError::conflict(
            ErrorCode::CaseClosed,
            format!("The case is {}; nothing more can be added.", state.key()),
        ))
    }
}

/// How a refused change answers.
pub(super) fn change_error(error: ChangeError<AppError>) -> AppError {
    match error {
        ChangeError::NotFound => AppError::NotFound,
        ChangeError::EvidenceTaken => AppError::conflict(
            ErrorCode::EvidenceTaken,
            "One of the files was removed or used in another case meanwhile. Check the files and send again.",
        ),
        ChangeError::Refused(e) => e,
        ChangeError::Storage(e) => AppError::Storage(e),
    }
}
