//! The case state machine: the one place that says which change may happen when.
//!
//! Handlers, jobs and tests all go through [`transition`]. Minor refunds and complaints
//! share it (docs/ARCHITECTURE.md, "Case states").

use refund_api::{CaseState, EventKind};

/// Something that happens to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEvent {
    /// The developer decides (first time). Allowed when overdue too: lateness costs credit.
    Decide,
    /// The player is not satisfied with the first decision.
    Appeal,
    /// The developer decides the appeal.
    DecideAppeal,
    /// The player accepts a decision.
    Accept,
    /// The player asks the platform to review the appeal decision.
    Escalate,
    /// The appeal deadline passed without a decision.
    AppealOverdue,
    /// The platform decides; final.
    PlatformDecide,
    /// The player withdraws an open case.
    Withdraw,
}

impl CaseEvent {
    /// The kind of the event this change appends to the case's log.
    #[must_use]
    pub fn kind(self) -> EventKind {
        match self {
            Self::Decide => EventKind::Decided,
            Self::Appeal => EventKind::Appealed,
            Self::DecideAppeal => EventKind::AppealDecided,
            Self::Accept => EventKind::Accepted,
            Self::Escalate => EventKind::Escalated,
            Self::AppealOverdue => EventKind::AppealOverdue,
            Self::PlatformDecide => EventKind::PlatformDecided,
            Self::Withdraw => EventKind::Withdrawn,
        }
    }
}

/// A change the current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a case that is {from:?} cannot take {event:?}")]
pub struct Refused {
    pub from: CaseState,
    pub event: CaseEvent,
}

/// The state after `event`, or why it cannot happen now.
pub fn transition(from: CaseState, event: CaseEvent) -> Result<CaseState, Refused> {
    use CaseEvent as E;
    use CaseState as S;
    let to = match (from, event) {
        (S::Submitted, E::Decide) => S::Decided,
        (S::Decided, E::Appeal) => S::Appealed,
        (S::Decided | S::AppealDecided, E::Accept) | (S::PlatformReview, E::PlatformDecide) => S::Closed,
        (S::Appealed, E::DecideAppeal) => S::AppealDecided,
        (S::Appealed, E::AppealOverdue) | (S::AppealDecided, E::Escalate) => S::PlatformReview,
        (state, E::Withdraw) if state.is_open() => S::Withdrawn,
        _ => return Err(Refused { from, event }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseEvent as E;
    use CaseState as S;

    #[test]
    fn the_full_appeal_path_ends_closed_by_the_platform() {
        let path = [E::Decide, E::Appeal, E::DecideAppeal, E::Escalate, E::PlatformDecide];
        let end = path
            .iter()
            .try_fold(S::Submitted, |s, e| transition(s, *e))
            .expect("allowed path");
        assert_eq!(end, S::Closed);
    }

    #[test]
    fn a_late_appeal_goes_to_the_platform() {
        assert_eq!(transition(S::Appealed, E::AppealOverdue), Ok(S::PlatformReview));
    }

    #[test]
    fn withdrawing_works_from_every_open_state_and_no_other() {
        for s in S::ALL {
            assert_eq!(transition(s, E::Withdraw).is_ok(), s.is_open(), "{s:?}");
        }
    }

    #[test]
    fn closed_cases_take_nothing() {
        for e in [
            E::Decide,
            E::Appeal,
            E::DecideAppeal,
            E::Accept,
            E::Escalate,
            E::PlatformDecide,
        ] {
            assert_eq!(
                transition(S::Closed, e),
                Err(Refused {
                    from: S::Closed,
                    event: e
                })
            );
        }
    }

    #[test]
    fn a_submitted_case_cannot_be_appealed_before_a_decision() {
        assert!(transition(S::Submitted, E::Appeal).is_err());
        assert!(transition(S::Submitted, E::Escalate).is_err());
    }
}
