//! When a player may appeal a decision, or ask the platform to decide: the rules, pure.
//!
//! A decision can be appealed when it did not give the player everything claimed, within
//! the appeal window (calendar days after it was made); the statement must say enough.
//! After the appeal decision the same window applies to asking the platform.

use chrono::{DateTime, Duration, Utc};
use refund_api::{
    APPEAL_STATEMENT_MAX_CHARS, APPEAL_STATEMENT_MIN_CHARS, CaseState, DecisionRound, ErrorCode, NextStepKind, Outcome,
};

/// Why an appeal (or a request for the platform) is refused, with the wording's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealRefusal {
    pub code: ErrorCode,
    pub message: String,
    pub params: Vec<(&'static str, String)>,
}

fn refuse(code: ErrorCode, message: &str, params: Vec<(&'static str, String)>) -> AppealRefusal {
    AppealRefusal {
        code,
        message: message.to_owned(),
        params,
    }
}

/// Whether `now` is within `window_days` of the decision made at `decided_at`.
pub fn within_window(decided_at: DateTime<Utc>, now: DateTime<Utc>, window_days: i64) -> Result<(), AppealRefusal> {
    if now <= decided_at + Duration::days(window_days) {
        Ok(())
    } else {
        Err(refuse(
            ErrorCode::AppealWindowClosed,
            "The time to appeal this decision has passed.",
            vec![("days", window_days.to_string())],
        ))
    }
}

/// Whether there is anything to appeal: the decision was not a full refund, and the
/// case's orders are not all refunded.
pub fn something_to_appeal(outcome: Outcome, claimed_fen: i64, refunded_fen: i64) -> Result<(), AppealRefusal> {
    let all_given = outcome == Outcome::Full || (claimed_fen > 0 && refunded_fen >= claimed_fen);
    if all_given {
        Err(refuse(
            ErrorCode::NothingToAppeal,
            "This decision refunded everything claimed.",
            Vec::new(),
        ))
    } else {
        Ok(())
    }
}

/// The statement, trimmed, if its length is within bounds.
pub fn statement(text: &str) -> Result<String, AppealRefusal> {
    let text = text.trim();
    let chars = text.chars().count();
    if (APPEAL_STATEMENT_MIN_CHARS..=APPEAL_STATEMENT_MAX_CHARS).contains(&chars) {
        Ok(text.to_owned())
    } else {
        Err(refuse(
            ErrorCode::StatementLength,
            "The statement is too short or too long.",
            vec![
                ("min", APPEAL_STATEMENT_MIN_CHARS.to_string()),
                ("max", APPEAL_STATEMENT_MAX_CHARS.to_string()),
            ],
        ))
    }
}

/// The step open to the player in `state` (appeal, or ask the platform) and until when,
/// from the case's decisions `(round, outcome, decided_at)` and its money.
#[must_use]
pub fn next_step(
    state: CaseState,
    decisions: &[(DecisionRound, Outcome, DateTime<Utc>)],
    claimed_fen: i64,
    refunded_fen: i64,
    now: DateTime<Utc>,
    window_days: i64,
) -> Option<(NextStepKind, DateTime<Utc>)> {
    let (round, kind) = match state {
        CaseState::Decided => (DecisionRound::First, NextStepKind::Appeal),
        CaseState::AppealDecided => (DecisionRound::Appeal, NextStepKind::Escalate),
        _ => return None,
    };
    let (_, outcome, decided_at) = decisions.iter().rev().find(|(r, _, _)| *r == round)?;
    if kind == NextStepKind::Appeal {
        something_to_appeal(*outcome, claimed_fen, refunded_fen).ok()?;
    }
    within_window(*decided_at, now, window_days).ok()?;
    Some((kind, *decided_at + Duration::days(window_days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("a time") + Duration::hours(hours)
    }

    #[test]
    fn the_window_closes_after_its_days() {
        assert!(within_window(at(0), at(15 * 24), 15).is_ok(), "the last moment counts");
        let late = within_window(at(0), at(15 * 24 + 1), 15).expect_err("closed");
        assert_eq!(late.code, ErrorCode::AppealWindowClosed);
        assert_eq!(late.params, vec![("days", "15".to_owned())]);
    }

    #[test]
    fn only_what_did_not_give_everything_can_be_appealed() {
        assert!(something_to_appeal(Outcome::Full, 600, 600).is_err());
        assert!(
            something_to_appeal(Outcome::Partial, 600, 600).is_err(),
            "partial summing to all"
        );
        assert!(something_to_appeal(Outcome::Partial, 600, 599).is_ok());
        assert!(something_to_appeal(Outcome::Reject, 600, 0).is_ok());
        assert!(
            something_to_appeal(Outcome::Reject, 0, 0).is_ok(),
            "a complaint without money"
        );
    }

    #[test]
    fn the_next_step_follows_the_state_and_the_window() {
        let first = [(DecisionRound::First, Outcome::Partial, at(0))];
        let appeal = next_step(CaseState::Decided, &first, 600, 100, at(24), 15);
        assert_eq!(appeal, Some((NextStepKind::Appeal, at(15 * 24))));
        assert_eq!(
            next_step(CaseState::Decided, &first, 600, 100, at(16 * 24), 15),
            None,
            "too late"
        );
        assert_eq!(
            next_step(CaseState::Decided, &first, 600, 600, at(1), 15),
            None,
            "all refunded"
        );
        let both = [first[0], (DecisionRound::Appeal, Outcome::Reject, at(48))];
        let ask = next_step(CaseState::AppealDecided, &both, 600, 100, at(49), 15);
        assert_eq!(ask, Some((NextStepKind::Escalate, at(48 + 15 * 24))));
        assert_eq!(next_step(CaseState::Closed, &both, 600, 100, at(49), 15), None);
    }

    #[test]
    fn a_statement_is_trimmed_and_bounded() {
        assert_eq!(
            statement("  开发者没有联系过我，我有新的证据。 ").as_deref(),
            Ok("开发者没有联系过我，我有新的证据。")
        );
        assert_eq!(statement("太少").expect_err("short").code, ErrorCode::StatementLength);
        assert!(statement(&"字".repeat(APPEAL_STATEMENT_MAX_CHARS + 1)).is_err());
    }
}
