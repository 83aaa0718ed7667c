//! The working-day calendar (`domain::calendar`), on the bundled notices or on notices
//! made up from the input: n working days after any instant of 1970–2199 lands on a
//! working day (the start's own day for n = 0), counting working days from the start to
//! it gives n back, it grows strictly with n, it names exactly the uncovered years it
//! crossed, skipped days (force majeure) only push it later, and after it has passed the
//! days left count down by the working days since.
//!
//! Input: 22 bytes of little-endian numbers (see [`Input`]), then the notices' bytes.

#![no_main]

use std::sync::OnceLock;

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use refund_server::domain::calendar::{WorkingCalendar, shanghai};

/// Days from 1970-01-01 to 2200-01-01.
const SPAN_DAYS: u32 = 84_006;
/// Enough working days for any refund rule (about 12 years), cheap to walk.
const MAX_N: u16 = 3_000;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// Days after 1970-01-01 (modulo the span to 2200).
    start_day: u32,
    start_second: u32,
    /// The UTC offset of the start instant, in seconds.
    offset: i32,
    n: u16,
    more: u8,
    /// Skipped days: (first, length), the first in days after the start.
    skip: (u16, u8),
    /// Days after the deadline to look back from.
    later: u16,
    /// 0 the bundled notices; 1 one made up from `notices`, in 3-byte days (days after the
    /// start, little-endian; odd = day off), covering the start's year when `papers`;
    /// else `notices` as the text of a notice file.
    calendar: u8,
    papers: bool,
    notices: &'a [u8],
}

fuzz_target!(|input: Input| {
    let start =
        NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date") + Duration::days(i64::from(input.start_day % SPAN_DAYS));
    let owned;
    let calendar = match input.calendar {
        0 => bundled(),
        1 => {
            owned = made_up(start, input.notices, input.papers);
            &owned
        }
        _ => {
            let text = String::from_utf8_lossy(input.notices);
            match WorkingCalendar::from_notices([("fuzz.json", text.as_ref())]) {
                Ok(calendar) => {
                    owned = calendar;
                    &owned
                }
                Err(_) => return,
            }
        }
    };
    let offset = FixedOffset::east_opt(input.offset % 86_400).expect("within a day");
    let from = offset
        .from_local_datetime(&start.and_time(NaiveTime::MIN))
        .single()
        .expect("a fixed offset is unambiguous")
        + Duration::seconds(i64::from(input.start_second % 86_400));
    let day0 = from.with_timezone(&shanghai()).date_naive();
    let n = u32::from(input.n % (MAX_N + 1));

    let deadline = calendar.add_working_days(&from, n);
    let due = deadline.due_at.date_naive();
    assert_eq!(deadline.due_at.offset(), &shanghai());
    assert_eq!(
        deadline.due_at.time(),
        NaiveTime::from_hms_opt(23, 59, 59).expect("a time")
    );
    if n == 0 {
        assert_eq!(due, day0);
    } else {
        assert!(due > day0 && calendar.is_working_day(due), "{due} after {day0}");
    }
    assert_eq!(working_days(calendar, day0, due, |_| false), n);
    assert_eq!(calendar.working_days_left(&from, &deadline.due_at), i64::from(n));
    let uncovered: Vec<i32> = if n == 0 {
        Vec::new()
    } else {
        (day0.succ_opt().expect("in range").year()..=due.year())
            .filter(|year| !calendar.covers(*year))
            .collect()
    };
    assert_eq!(deadline.uncovered_years, uncovered);

    let further = calendar.add_working_days(&from, n + 1 + u32::from(input.more));
    assert!(further.due_at > deadline.due_at);

    let skip_from = day0 + Duration::days(i64::from(input.skip.0 % 4_000));
    let skip_to = skip_from + Duration::days(i64::from(input.skip.1));
    let skipped = |date: NaiveDate| (skip_from..=skip_to).contains(&date);
    let pushed = calendar.add_working_days_skipping(&from, n, skipped);
    let pushed_due = pushed.due_at.date_naive();
    assert!(pushed_due >= due);
    assert_eq!(working_days(calendar, day0, pushed_due, skipped), n);
    if n > 0 {
        assert!(calendar.is_working_day(pushed_due) && !skipped(pushed_due));
    }
    if skip_from > due {
        assert_eq!(pushed, deadline, "a later period changes nothing");
    }

    let later = due + Duration::days(i64::from(input.later % 4_000));
    let now = later
        .and_time(NaiveTime::MIN)
        .and_local_timezone(shanghai())
        .single()
        .expect("fixed");
    let since = working_days(calendar, due, later, |_| false);
    assert_eq!(calendar.working_days_left(&now, &deadline.due_at), -i64::from(since));
});

fn bundled() -> &'static WorkingCalendar {
    static BUNDLED: OnceLock<WorkingCalendar> = OnceLock::new();
    BUNDLED.get_or_init(WorkingCalendar::bundled)
}

/// A calendar from one notice announcing days after `start`, 3 bytes each.
fn made_up(start: NaiveDate, days: &[u8], papers: bool) -> WorkingCalendar {
    let days: Vec<String> = days
        .chunks_exact(3)
        .map(|day| {
            let after = u16::from_le_bytes([day[0], day[1]]) % 4_000;
            let date = start + Duration::days(i64::from(after));
            let off = day[2] % 2 == 1;
            format!(r#"{{"name":"fuzz","date":"{date}","isOffDay":{off}}}"#)
        })
        .collect();
    let papers = if papers { r#"["http://www.gov.cn/"]"# } else { "[]" };
    let notice = format!(
        r#"{{"year":{},"papers":{papers},"days":[{}]}}"#,
        start.year(),
        days.join(",")
    );
    WorkingCalendar::from_notices([("made-up.json", notice.as_str())]).expect("a well-formed notice")
}

/// Working days in `(after, until]` that are not skipped, counted one by one.
fn working_days(
    calendar: &WorkingCalendar,
    after: NaiveDate,
    until: NaiveDate,
    skipped: impl Fn(NaiveDate) -> bool,
) -> u32 {
    let mut count = 0;
    let mut date = after;
    while date < until {
        date = date.succ_opt().expect("in range");
        if calendar.is_working_day(date) && !skipped(date) {
            count += 1;
        }
    }
    count
}
