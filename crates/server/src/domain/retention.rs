//! How long a case's files are kept: the rule, pure.
//!
//! A case's files are evidence about a child and a family (ID cards, the household
//! register), so they are kept only while they can still matter: while the case can
//! change, and then for the configured retention days. A closed or withdrawn case ended
//! when it entered that state; a decided case ends when the window to appeal it (or to
//! take the appeal decision to the platform) has passed, since until then it may come
//! back. Cases still waiting for a decision keep their files.

use chrono::{DateTime, Duration, Utc};
use refund_api::CaseState;

/// When the case ended, or will end if nothing more happens; `None` while it waits for
/// someone to act. `entered_at` is when the case entered its current `state`.
#[must_use]
pub fn ended_at(state: CaseState, entered_at: DateTime<Utc>, appeal_window_days: i64) -> Option<DateTime<Utc>> {
    match state {
        CaseState::Closed | CaseState::Withdrawn => Some(entered_at),
        CaseState::Decided | CaseState::AppealDecided => Some(entered_at + Duration::days(appeal_window_days)),
        CaseState::Submitted | CaseState::Appealed | CaseState::PlatformReview => None,
    }
}

/// When the files of a case in `state` since `entered_at` are to be deleted.
#[must_use]
pub fn delete_at(
    state: CaseState,
    entered_at: DateTime<Utc>,
    appeal_window_days: i64,
    retention_days: u32,
) -> Option<DateTime<Utc>> {
    ended_at(state, entered_at, appeal_window_days).map(|end| end + Duration::days(i64::from(retention_days)))
}

/// The states whose cases may have ended, for the job's query.
pub const ENDING_STATES: [CaseState; 4] = [
    CaseState::Closed,
    CaseState::Withdrawn,
    CaseState::Decided,
    CaseState::AppealDecided,
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 2, 0, 0).single().expect("valid")
    }

    #[test]
    fn a_closed_case_keeps_its_files_for_the_retention_days_after_it_closed() {
        assert_eq!(delete_at(CaseState::Closed, at(1), 15, 10), Some(at(11)));
        assert_eq!(delete_at(CaseState::Withdrawn, at(1), 15, 0), Some(at(1)));
    }

    #[test]
    fn a_decided_case_ends_only_when_it_can_no_longer_be_appealed() {
        assert_eq!(delete_at(CaseState::Decided, at(1), 15, 10), Some(at(26)));
        assert_eq!(delete_at(CaseState::AppealDecided, at(1), 5, 0), Some(at(6)));
    }

    #[test]
    fn a_case_waiting_for_someone_keeps_its_files() {
        for state in [CaseState::Submitted, CaseState::Appealed, CaseState::PlatformReview] {
            assert_eq!(delete_at(state, at(1), 15, 0), None, "{state:?}");
            assert!(!ENDING_STATES.contains(&state));
        }
    }
}
