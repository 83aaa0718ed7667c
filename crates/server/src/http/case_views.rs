//! Turning stored cases into what the player and trackers see.

use chrono::{DateTime, FixedOffset, Utc};
use refund_api::{
    Actor, CaseDetail, CaseKind, CaseState, CaseSummary, ClaimedOrder, EvidenceCategory, EvidenceView, GuardianView,
    MediaType, TimelineEntry,
};

use crate::app::AppState;
use crate::domain::application::CaseDetails;
use crate::domain::calendar::shanghai;
use crate::error::{AppError, AppResult};
use crate::store::{CaseParts, CaseRecord, EvidenceRecord, StoredEvent};

/// An instant as shown to users: Beijing time.
#[must_use]
pub fn shanghai_time(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&shanghai())
}

pub fn parse_kind(text: &str) -> AppResult<CaseKind> {
    match text {
        "minor_refund" => Ok(CaseKind::MinorRefund),
        "complaint" => Ok(CaseKind::Complaint),
        other => Err(AppError::Internal(format!("unknown case kind {other:?} in storage"))),
    }
}

pub fn parse_state(text: &str) -> AppResult<CaseState> {
    CaseState::from_key(text).ok_or_else(|| AppError::Internal(format!("unknown case state {text:?} in storage")))
}

fn parse_actor(text: &str) -> Actor {
    match text {
        "player" => Actor::Player,
        "developer" => Actor::Developer,
        "platform" => Actor::Platform,
        _ => Actor::System,
    }
}

/// The evidence as the wire shows it; `None` for a record whose stored names are unknown.
#[must_use]
pub fn evidence_view(record: EvidenceRecord) -> Option<EvidenceView> {
    let media_type = MediaType::ALL.into_iter().find(|m| m.mime() == record.media_type)?;
    let category = EvidenceCategory::from_key(&record.category)?;
    Some(EvidenceView {
        id: record.id,
        sha256: record.sha256,
        size: u64::try_from(record.size).unwrap_or(0),
        media_type,
        category,
        file_name: record.file_name,
    })
}

pub fn summary(state: &AppState, case: &CaseRecord) -> AppResult<CaseSummary> {
    let due_at = shanghai_time(case.due_at);
    Ok(CaseSummary {
        case_no: case.case_no.clone(),
        kind: parse_kind(&case.kind)?,
        state: parse_state(&case.state)?,
        game_name: case.game_name.clone(),
        claimed_fen: case.claimed_fen,
        submitted_at: shanghai_time(case.submitted_at),
        due_at,
        working_days_left: state.calendar.working_days_left(&Utc::now(), &due_at),
    })
}

pub fn timeline_entry(event: StoredEvent) -> TimelineEntry {
    TimelineEntry {
        id: event.id,
        at: shanghai_time(event.at),
        actor: parse_actor(&event.actor),
        kind: event.kind,
        note: event.note,
    }
}

/// Everything about a case, loaded from the store.
pub async fn detail(state: &AppState, case: &CaseRecord) -> AppResult<CaseDetail> {
    let details: CaseDetails = serde_json::from_str(&case.details)
        .map_err(|e| AppError::Internal(format!("case {} details unreadable: {e}", case.case_no)))?;
    let CaseParts {
        orders,
        evidence,
        events,
    } = state.store.case_parts(&case.case_no).await?;
    Ok(CaseDetail {
        summary: summary(state, case)?,
        narrative: details.narrative,
        guardian: details.guardian.map(|g| GuardianView {
            relation: g.relation,
            phone_masked: mask_phone(&g.phone),
            name: g.name,
            minor_birth: g.minor_birth,
        }),
        complaint: details.complaint,
        orders: orders
            .into_iter()
            .map(|o| ClaimedOrder {
                order_no: o.order_no,
                item: o.item,
                amount_fen: o.amount_fen,
                paid_at: shanghai_time(o.paid_at),
            })
            .collect(),
        evidence: evidence.into_iter().filter_map(evidence_view).collect(),
        timeline: events.into_iter().map(timeline_entry).collect(),
    })
}

/// `138****8000`: enough to recognise one's own number, not to call it.
fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let (head, rest) = chars.split_at(3);
    let tail = &rest[rest.len() - 4..];
    format!(
        "{}****{}",
        head.iter().collect::<String>(),
        tail.iter().collect::<String>()
    )
}
