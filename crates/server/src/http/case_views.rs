//! Turning stored cases into what the player and trackers see.

use chrono::{DateTime, FixedOffset, Utc};
use refund_api::{
    CaseDetail, CaseSummary, ClaimedOrder, ComplaintInfo, DecisionView, EvidenceView, FileRetention, GuardianView,
    NextStep, RefundView, TimelineEntry, mask_contact,
};

use crate::app::AppState;
use crate::domain::appeal;
use crate::domain::application::CaseDetails;
use crate::domain::calendar::shanghai;
use crate::domain::retention;
use crate::error::{AppError, AppResult};
use crate::store::{CaseParts, CaseRecord, DecisionRecord, EvidenceRecord, RefundRecord, StoredEvent};

/// An instant as shown to users: Beijing time.
#[must_use]
pub fn shanghai_time(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&shanghai())
}

/// The evidence as the wire shows it.
#[must_use]
pub fn evidence_view(record: EvidenceRecord) -> EvidenceView {
    EvidenceView {
        id: record.id,
        sha256: record.sha256,
        size: u64::try_from(record.size).unwrap_or(0),
        media_type: record.media_type,
        category: record.category,
        file_name: record.file_name,
    }
}

#[must_use]
pub fn summary(state: &AppState, case: &CaseRecord) -> CaseSummary {
    let due_at = shanghai_time(case.due_at);
    CaseSummary {
        case_no: case.case_no.clone(),
        kind: case.kind,
        state: case.state,
        game_name: case.game_name.clone(),
        claimed_fen: case.claimed_fen,
        submitted_at: shanghai_time(case.submitted_at),
        due_at,
        working_days_left: state.calendar.working_days_left(&state.clock.now(), &due_at),
    }
}

#[must_use]
pub fn timeline_entry(event: StoredEvent) -> TimelineEntry {
    TimelineEntry {
        id: event.id,
        at: shanghai_time(event.at),
        actor: event.actor,
        kind: event.kind.key().to_owned(),
        note: event.note,
    }
}

/// Everything about a case: its row as just read, and its parts as of the row's version
/// (kept across reads while they do not change; see `store::case_cache`).
pub async fn detail(state: &AppState, case: &CaseRecord) -> AppResult<CaseDetail> {
    let parts = state.store.case_contents(case).await?;
    let timely = timely(state, case, &parts);
    detail_of(state, case, &parts, timely)
}

/// What a case view says that depends on the time of reading, not on what is stored: the
/// working days left and the step open to the player (an appeal window closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timely {
    pub working_days_left: i64,
    pub next_step: Option<NextStep>,
}

/// The time-dependent part of `case`'s view, now.
#[must_use]
pub fn timely(state: &AppState, case: &CaseRecord, parts: &CaseParts) -> Timely {
    let now = state.clock.now();
    let rounds: Vec<_> = parts
        .decisions
        .iter()
        .map(|d| (d.round, d.outcome, d.decided_at))
        .collect();
    let refunded = parts.refunds.iter().map(|r| r.amount_fen).sum();
    Timely {
        working_days_left: state.calendar.working_days_left(&now, &shanghai_time(case.due_at)),
        next_step: appeal::next_step(
            case.state,
            &rounds,
            case.claimed_fen,
            refunded,
            now,
            state.config.appeal_window_days,
        )
        .map(|(kind, until)| NextStep {
            kind,
            until: shanghai_time(until),
        }),
    }
}

/// The view of `case` from its row, its parts and the time-dependent part.
pub fn detail_of(state: &AppState, case: &CaseRecord, parts: &CaseParts, timely: Timely) -> AppResult<CaseDetail> {
    let details: CaseDetails = serde_json::from_str(&case.details)
        .map_err(|e| AppError::Internal(format!("case {} details unreadable: {e}", case.case_no)))?;
    let CaseParts {
        orders,
        evidence,
        events,
        decisions,
        refunds,
    } = parts;
    Ok(CaseDetail {
        summary: CaseSummary {
            working_days_left: timely.working_days_left,
            ..summary(state, case)
        },
        narrative: details.narrative,
        guardian: details.guardian.map(|g| GuardianView {
            relation: g.relation,
            phone_masked: mask_contact(&g.phone),
            name: g.name,
            minor_birth: g.minor_birth,
        }),
        complaint: details.complaint.map(masked_contact),
        orders: orders
            .iter()
            .map(|o| ClaimedOrder {
                order_no: o.order_no.clone(),
                item: o.item.clone(),
                amount_fen: o.amount_fen,
                paid_at: shanghai_time(o.paid_at),
            })
            .collect(),
        evidence: evidence.iter().cloned().map(evidence_view).collect(),
        timeline: events.iter().cloned().map(timeline_entry).collect(),
        decisions: decision_views(decisions, refunds),
        next_step: timely.next_step,
        retention: retention(state, case, events),
    })
}

/// When the case entered its current state: states never repeat, so it is the first event
/// in that state.
pub fn entered_at(case: &CaseRecord, events: &[StoredEvent]) -> Option<chrono::DateTime<chrono::Utc>> {
    events.iter().find(|e| e.state == case.state).map(|e| e.at)
}

/// Where the case's files stand: kept, kept until a date, or deleted.
#[must_use]
pub fn retention(state: &AppState, case: &CaseRecord, events: &[StoredEvent]) -> FileRetention {
    if let Some((deleted_at, files)) = case.files_deleted() {
        return FileRetention::Deleted {
            deleted_at: shanghai_time(deleted_at),
            files: u32::try_from(files).unwrap_or(0),
        };
    }
    let entered = entered_at(case, events);
    let config = &state.config;
    entered
        .and_then(|at| retention::delete_at(case.state, at, config.appeal_window_days, config.retention_days))
        .map_or(
            FileRetention::Kept {
                days: config.retention_days,
            },
            |at| FileRetention::Until {
                delete_at: shanghai_time(at),
            },
        )
}

/// The complaint as shown to anyone but the developer: the contact masked.
#[must_use]
pub fn masked_contact(complaint: ComplaintInfo) -> ComplaintInfo {
    ComplaintInfo {
        contact: mask_contact(&complaint.contact),
        ..complaint
    }
}

/// Decisions as every side sees them, each with the refunds of its round.
#[must_use]
pub fn decision_views(decisions: &[DecisionRecord], refunds: &[RefundRecord]) -> Vec<DecisionView> {
    decisions
        .iter()
        .map(|d| {
            let refunds: Vec<RefundView> = refunds
                .iter()
                .filter(|r| r.round == d.round)
                .map(|r| RefundView {
                    refund_id: r.refund_id.clone(),
                    order_no: r.order_no.clone(),
                    amount_fen: r.amount_fen,
                })
                .collect();
            DecisionView {
                round: d.round,
                outcome: d.outcome,
                reason: d.reject_reason(),
                note: d.note.clone(),
                decided_at: shanghai_time(d.decided_at),
                refunded_fen: refunds.iter().map(|r| r.amount_fen).sum(),
                refunds,
            }
        })
        .collect()
}
