//! China's working-day calendar, used to compute refund deadlines.
//!
//! Policy: a working day is Monday–Friday, minus the public holidays and plus
//! the weekend make-up days (调休) announced by the State Council. The notices
//! come from the holiday-cn JSON files (bundled in the binary, or read from a
//! directory so operators can ship newer data without a rebuild). A year counts
//! as covered only when some notice for it cites at least one State Council
//! paper; for an uncovered year the calendar falls back to plain Monday–Friday,
//! logs a warning and reports the year so callers can flag the deadline as
//! provisional. All dates are taken in Asia/Shanghai, a fixed UTC+8 without DST.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use serde::Deserialize;

pub const SHANGHAI_OFFSET_SECS: i32 = 8 * 3600;

// Evaluated at compile time, so a bad constant fails the build, not a request.
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(SHANGHAI_OFFSET_SECS) {
    Some(offset) => offset,
    None => panic!("UTC+8 is within ±24 h"),
};
const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(time) => time,
    None => panic!("23:59:59 is a valid time"),
};

/// The fixed UTC+8 offset of Asia/Shanghai (China has had no DST since 1991).
#[must_use]
pub fn shanghai() -> FixedOffset {
    SHANGHAI
}

const BUNDLED: [(&str, &str); 9] = [
    ("2019.json", include_str!("../../data/holiday-cn/2019.json")),
    ("2020.json", include_str!("../../data/holiday-cn/2020.json")),
    ("2021.json", include_str!("../../data/holiday-cn/2021.json")),
    ("2022.json", include_str!("../../data/holiday-cn/2022.json")),
    ("2023.json", include_str!("../../data/holiday-cn/2023.json")),
    ("2024.json", include_str!("../../data/holiday-cn/2024.json")),
    ("2025.json", include_str!("../../data/holiday-cn/2025.json")),
    ("2026.json", include_str!("../../data/holiday-cn/2026.json")),
    ("2027.json", include_str!("../../data/holiday-cn/2027.json")),
];

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("cannot read holiday notices at {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("holiday notice {name} is malformed")]
    Parse {
        name: String,
        #[source]
        source: serde_json::Error,
    },
    /// An empty directory is almost certainly a misconfigured path, and would
    /// otherwise silently degrade every deadline to Monday–Friday.
    #[error("no holiday notices (*.json) in {}", dir.display())]
    NoNotices { dir: PathBuf },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Notice {
    year: i32,
    #[serde(default)]
    papers: Vec<String>,
    days: Vec<NoticeDay>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NoticeDay {
    date: NaiveDate,
    is_off_day: bool,
}

/// A deadline and the years whose working days had to be guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// 23:59:59 Shanghai time of the last working day.
    pub due_at: DateTime<FixedOffset>,
    /// Sorted years counted as plain Monday–Friday for lack of a notice.
    pub uncovered_years: Vec<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    /// Dates whose status a notice overrides: `true` = day off, `false` = make-up working day.
    overrides: HashMap<NaiveDate, bool>,
    covered: BTreeSet<i32>,
}

impl WorkingCalendar {
    /// The notices bundled in the binary.
    ///
    /// # Panics
    /// Only if the bundled files are malformed, which the test suite rules out.
    #[must_use]
    pub fn bundled() -> Self {
        Self::from_notices(BUNDLED).expect("bundled holiday notices are valid")
    }

    /// Every `*.json` file in `dir` except `schema.json`, so operators can
    /// point to newer data without rebuilding. Files are applied in name order;
    /// a later file wins when two disagree about a date.
    ///
    /// # Errors
    /// [`CalendarError::Io`] if the directory or a file cannot be read,
    /// [`CalendarError::Parse`] naming the first malformed file, and
    /// [`CalendarError::NoNotices`] if there is no notice at all.
    pub fn from_dir(dir: &Path) -> Result<Self, CalendarError> {
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CalendarError::Io { path, source }
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
            let path = entry.map_err(io_err(dir))?.path();
            let is_json = path.extension().is_some_and(|ext| ext == "json");
            if is_json && path.file_name().is_some_and(|name| name != "schema.json") {
                paths.push(path);
            }
        }
        if paths.is_empty() {
            return Err(CalendarError::NoNotices { dir: dir.to_path_buf() });
        }
        paths.sort();
        let mut texts = Vec::with_capacity(paths.len());
        for path in &paths {
            let text = std::fs::read_to_string(path).map_err(io_err(path))?;
            texts.push((path.display().to_string(), text));
        }
        Self::from_notices(texts.iter().map(|(name, text)| (name.as_str(), text.as_str())))
    }

    /// From notice JSON texts; `name` identifies a text in errors.
    ///
    /// # Errors
    /// [`CalendarError::Parse`] naming the first text that is not a notice.
    pub fn from_notices<'a>(notices: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, CalendarError> {
        let mut calendar = Self::default();
        for (name, json) in notices {
            let notice: Notice = serde_json::from_str(json).map_err(|source| CalendarError::Parse {
                name: name.to_owned(),
                source,
            })?;
            if !notice.papers.is_empty() {
                calendar.covered.insert(notice.year);
            }
            // A notice may announce days of the neighbouring year (e.g. a
            // December make-up day for the next New Year): each day counts
            // for its own date, whichever file it came from.
            for day in notice.days {
                calendar.overrides.insert(day.date, day.is_off_day);
            }
        }
        Ok(calendar)
    }

    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.overrides.get(&date) {
            Some(&off) => !off,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    #[must_use]
    pub fn covers(&self, year: i32) -> bool {
        self.covered.contains(&year)
    }

    #[must_use]
    pub fn covered_years(&self) -> Vec<i32> {
        self.covered.iter().copied().collect()
    }

    /// Years deadlines need now but the calendar lacks a notice for: the current year,
    /// and from December on the next (China's State Council publishes it in autumn).
    #[must_use]
    pub fn missing_years<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> Vec<i32> {
        let today = local_date(now);
        let mut needed = vec![today.year()];
        if today.month() == 12 {
            needed.push(today.year() + 1);
        }
        needed.into_iter().filter(|y| !self.covers(*y)).collect()
    }

    /// The deadline `n` working days after `from`: counting starts with the
    /// Shanghai calendar day after `from`'s, and the deadline is the end of the
    /// `n`th working day. `n == 0` gives the end of `from`'s own day.
    #[must_use]
    pub fn add_working_days<Tz: TimeZone>(&self, from: &DateTime<Tz>, n: u32) -> Deadline {
        self.add_working_days_skipping(from, n, |_| false)
    }

    /// As [`WorkingCalendar::add_working_days`], not counting the working days `skip`
    /// names (an organisation's accepted force-majeure periods).
    #[must_use]
    pub fn add_working_days_skipping<Tz: TimeZone>(
        &self,
        from: &DateTime<Tz>,
        n: u32,
        skip: impl Fn(NaiveDate) -> bool,
    ) -> Deadline {
        let mut date = local_date(from);
        let mut uncovered = BTreeSet::new();
        let mut remaining = n;
        while remaining > 0 {
            // Running off chrono's range needs ~16 million years of working
            // days; stopping at the last representable day beats panicking.
            let Some(next) = date.succ_opt() else { break };
            date = next;
            if !self.covers(date.year()) {
                uncovered.insert(date.year());
            }
            if self.is_working_day(date) && !skip(date) {
                remaining -= 1;
            }
        }
        let uncovered_years: Vec<i32> = uncovered.into_iter().collect();
        if !uncovered_years.is_empty() {
            tracing::warn!(
                years = ?uncovered_years,
                "no holiday notice for these years; counted Monday–Friday as working days"
            );
        }
        Deadline {
            due_at: end_of_day(date),
            uncovered_years,
        }
    }

    /// Working days from `now`'s Shanghai date (exclusive) to `due_at`'s
    /// (inclusive): 0 when the deadline is today. When the deadline's date has
    /// passed, it is minus the working days after it up to and including
    /// today, so the first working day after the deadline reads -1. Only dates
    /// matter, as deadlines fall at the end of a day.
    #[must_use]
    pub fn working_days_left<Tz: TimeZone>(&self, now: &DateTime<Tz>, due_at: &DateTime<FixedOffset>) -> i64 {
        let today = local_date(now);
        let due = local_date(due_at);
        if due >= today {
            self.working_days_between(today, due)
        } else {
            -self.working_days_between(due, today)
        }
    }

    /// Working days in `(after, until]`.
    fn working_days_between(&self, after: NaiveDate, until: NaiveDate) -> i64 {
        let days = after.iter_days().skip(1).take_while(|d| *d <= until);
        let count = days.filter(|d| self.is_working_day(*d)).count();
        i64::try_from(count).unwrap_or(i64::MAX)
    }
}

fn local_date<Tz: TimeZone>(instant: &DateTime<Tz>) -> NaiveDate {
    instant.with_timezone(&SHANGHAI).date_naive()
}

fn end_of_day(date: NaiveDate) -> DateTime<FixedOffset> {
    // Subtracting 8 h from the end of a day stays on that day, so even
    // chrono's last representable date converts.
    date.and_time(END_OF_DAY)
        .and_local_timezone(SHANGHAI)
        .single()
        .expect("a fixed offset maps each local time to one instant")
}
