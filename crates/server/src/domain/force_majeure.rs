//! Force majeure, the rules: what a report must say, the period it covers and how far
//! the deadlines in it move.
//!
//! A period runs from the start of its first day to the end of its last, China time.
//! Accepting a report moves every open deadline of the organisation that falls inside the
//! period later by the working days the period covers (a period of holidays only moves
//! nothing), and excuses the lateness recorded inside it. Deadlines outside the period
//! are the developer's as before: the event did not stand in their way.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use refund_api::{
    DECISION_NOTE_MAX_CHARS, ErrorCode, FORCE_MAJEURE_DESCRIPTION_MAX_CHARS, FORCE_MAJEURE_DESCRIPTION_MIN_CHARS,
    FORCE_MAJEURE_MAX_DAYS,
};

use super::calendar::{Deadline, WorkingCalendar, shanghai};

/// Why a report or a decision on one is refused: the code, the field, the words and
/// the values the app's wording uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub field: &'static str,
    pub message: String,
    pub params: Vec<(&'static str, String)>,
}

fn refuse(code: ErrorCode, field: &'static str, message: &str, params: Vec<(&'static str, String)>) -> Refusal {
    Refusal {
        code,
        field,
        message: message.to_owned(),
        params,
    }
}

/// The period of an event, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Period {
    /// A reported period, if it is the right way round, at most
    /// [`FORCE_MAJEURE_MAX_DAYS`] long, and began no longer ago than that (`today` is
    /// China's date now). It may reach into the future: an event may still be going on.
    pub fn reported(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> Result<Self, Refusal> {
        let days = FORCE_MAJEURE_MAX_DAYS.to_string();
        if ends_on < starts_on {
            return Err(refuse(
                ErrorCode::InvalidPeriod,
                "ends_on",
                "The event cannot end before it began.",
                Vec::new(),
            ));
        }
        if (ends_on - starts_on).num_days() + 1 > FORCE_MAJEURE_MAX_DAYS {
            return Err(refuse(
                ErrorCode::InvalidPeriod,
                "ends_on",
                "One report covers a limited number of days; report a longer event in parts.",
                vec![("days", days)],
            ));
        }
        if (today - starts_on).num_days() > FORCE_MAJEURE_MAX_DAYS || starts_on > today + Duration::days(1) {
            return Err(refuse(
                ErrorCode::InvalidPeriod,
                "starts_on",
                "Report an event that has begun, within the recent past.",
                vec![("days", days)],
            ));
        }
        Ok(Self { starts_on, ends_on })
    }

    /// The instants the period spans: `[start of its first day, end of its last day)`.
    #[must_use]
    pub fn span(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |date: NaiveDate| {
            date.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(shanghai()).single())
                .map(|t| t.with_timezone(&Utc))
        };
        let start = midnight(self.starts_on).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let end = self
            .ends_on
            .succ_opt()
            .and_then(midnight)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        (start, end)
    }

    /// The working days inside the period: how far the deadlines in it move.
    #[must_use]
    pub fn working_days(self, calendar: &WorkingCalendar) -> u32 {
        let count = self
            .starts_on
            .iter_days()
            .take_while(|d| *d <= self.ends_on)
            .filter(|d| calendar.is_working_day(*d))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Whether the China date `date` is one of the period's days.
    #[must_use]
    pub fn contains_date(self, date: NaiveDate) -> bool {
        self.starts_on <= date && date <= self.ends_on
    }

    /// The working days inside the period that none of `accepted` covers: how far its
    /// deadlines move when earlier accepted periods already moved them past some of its
    /// days (overlapping reports move a deadline once per working day, not twice).
    #[must_use]
    pub fn working_days_beyond(self, calendar: &WorkingCalendar, accepted: &[Self]) -> u32 {
        let count = self
            .starts_on
            .iter_days()
            .take_while(|d| *d <= self.ends_on)
            .filter(|d| calendar.is_working_day(*d) && !accepted.iter().any(|p| p.contains_date(*d)))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Whether `at` falls inside the period.
    #[must_use]
    pub fn contains(self, at: DateTime<Utc>) -> bool {
        let (start, end) = self.span();
        start <= at && at < end
    }
}

/// Where a deadline inside an accepted period moves: the same number of working days
/// later as the period covers, at the end of that day.
#[must_use]
pub fn moved_deadline(calendar: &WorkingCalendar, due_at: DateTime<Utc>, working_days: u32) -> DateTime<FixedOffset> {
    calendar.add_working_days(&due_at, working_days).due_at
}

/// The deadline `n` working days after `from` for an organisation whose accepted periods
/// are `accepted`: their days do not count, so a case that arrives during an accepted
/// event is due as many working days after it.
#[must_use]
pub fn deadline(calendar: &WorkingCalendar, from: DateTime<Utc>, n: u32, accepted: &[Period]) -> Deadline {
    calendar.add_working_days_skipping(&from, n, |d| accepted.iter().any(|p| p.contains_date(d)))
}

/// The description of what happened, trimmed, if its length is within bounds.
pub fn description(text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    let chars = text.chars().count();
    if (FORCE_MAJEURE_DESCRIPTION_MIN_CHARS..=FORCE_MAJEURE_DESCRIPTION_MAX_CHARS).contains(&chars) {
        Ok(text.to_owned())
    } else {
        Err(refuse(
            ErrorCode::DescriptionLength,
            "description",
            "Say what happened and how it kept you from answering.",
            vec![
                ("min", FORCE_MAJEURE_DESCRIPTION_MIN_CHARS.to_string()),
                ("max", FORCE_MAJEURE_DESCRIPTION_MAX_CHARS.to_string()),
            ],
        ))
    }
}

/// Platform staff's note on a decision, trimmed: required, and not too long.
pub fn decision_note(text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return Err(refuse(
            ErrorCode::MissingNote,
            "note",
            "Tell the developer why.",
            Vec::new(),
        ));
    }
    if text.chars().count() > DECISION_NOTE_MAX_CHARS {
        return Err(refuse(
            ErrorCode::NoteTooLong,
            "note",
            "The note is too long.",
            vec![("max", DECISION_NOTE_MAX_CHARS.to_string())],
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn a_period_counts_its_working_days_and_spans_whole_china_days() {
        let calendar = WorkingCalendar::bundled();
        // 2025-09-29 (Mon) to 2025-10-10 (Fri): two working days, the National Day
        // holiday (1-8 October), two more; the make-up days (28 Sep, 11 Oct) are outside.
        let period = Period::reported(date("2025-09-29"), date("2025-10-10"), date("2025-10-12")).expect("valid");
        assert_eq!(period.working_days(&calendar), 4);
        let (start, end) = period.span();
        assert_eq!(start.to_rfc3339(), "2025-09-28T16:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2025-10-10T16:00:00+00:00");
        assert!(period.contains(start) && !period.contains(end));
    }

    #[test]
    fn a_deadline_moves_by_the_covered_working_days() {
        let calendar = WorkingCalendar::bundled();
        let due = "2025-11-05T15:59:59Z".parse().expect("instant"); // Wed 23:59:59 China
        assert_eq!(
            moved_deadline(&calendar, due, 3).to_rfc3339(),
            "2025-11-10T23:59:59+08:00"
        );
        assert_eq!(
            moved_deadline(&calendar, due, 0).to_rfc3339(),
            "2025-11-05T23:59:59+08:00"
        );
    }

    #[test]
    fn overlapping_periods_move_a_deadline_once_per_working_day() {
        let calendar = WorkingCalendar::bundled();
        let first = Period::reported(date("2025-11-03"), date("2025-11-05"), date("2025-11-06")).expect("valid");
        let wider = Period::reported(date("2025-11-03"), date("2025-11-10"), date("2025-11-11")).expect("valid");
        assert_eq!(wider.working_days(&calendar), 6);
        assert_eq!(
            wider.working_days_beyond(&calendar, &[first]),
            3,
            "Thu, Fri and Mon are new"
        );
        assert_eq!(first.working_days_beyond(&calendar, &[wider]), 0);
    }

    #[test]
    fn a_case_arriving_during_an_accepted_period_is_due_after_it() {
        let calendar = WorkingCalendar::bundled();
        let outage = Period::reported(date("2025-11-03"), date("2025-11-05"), date("2025-11-06")).expect("valid");
        let monday = "2025-11-03T02:00:00Z".parse().expect("instant"); // Mon 10:00 China
        let due = deadline(&calendar, monday, 2, &[outage]).due_at;
        assert_eq!(due.to_rfc3339(), "2025-11-07T23:59:59+08:00", "Thu and Fri count");
        let plain = deadline(&calendar, monday, 2, &[]).due_at;
        assert_eq!(plain.to_rfc3339(), "2025-11-05T23:59:59+08:00");
    }

    #[test]
    fn periods_the_wrong_way_round_too_long_or_too_old_are_refused() {
        let today = date("2026-03-20");
        let code = |from, to| Period::reported(date(from), date(to), today).map_err(|r| (r.code, r.field));
        assert_eq!(
            code("2026-03-10", "2026-03-09"),
            Err((ErrorCode::InvalidPeriod, "ends_on"))
        );
        assert!(code("2026-03-01", "2026-04-29").is_ok(), "sixty days");
        assert_eq!(
            code("2026-03-01", "2026-04-30"),
            Err((ErrorCode::InvalidPeriod, "ends_on"))
        );
        assert_eq!(
            code("2026-01-01", "2026-01-02"),
            Err((ErrorCode::InvalidPeriod, "starts_on"))
        );
        assert_eq!(
            code("2026-03-25", "2026-03-26"),
            Err((ErrorCode::InvalidPeriod, "starts_on"))
        );
        assert!(code("2026-03-01", "2026-03-20").is_ok());
        assert!(code("2026-03-20", "2026-04-10").is_ok(), "an event still going on");
    }

    #[test]
    fn descriptions_and_notes_are_checked() {
        assert_eq!(
            description("  短  ").map_err(|r| r.code),
            Err(ErrorCode::DescriptionLength)
        );
        assert_eq!(
            description(" 机房断电，服务器全部停机三天。 ").as_deref(),
            Ok("机房断电，服务器全部停机三天。")
        );
        assert_eq!(decision_note("   ").map_err(|r| r.code), Err(ErrorCode::MissingNote));
        assert_eq!(
            decision_note(&"长".repeat(2_001)).map_err(|r| r.code),
            Err(ErrorCode::NoteTooLong)
        );
    }
}
