//! Deadlines from China's working-day calendar, checked against the DESIGN
//! examples and against a table built here independently from the notices.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use refund_server::domain::calendar::{CalendarError, WorkingCalendar, shanghai};

fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).expect("test timestamp is valid RFC 3339")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date is valid")
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/holiday-cn")
}

/// Date -> is it a day off, read straight from the notice files with no help
/// from the module under test.
fn notice_table() -> HashMap<NaiveDate, bool> {
    let mut table = HashMap::new();
    for entry in std::fs::read_dir(data_dir()).expect("data dir is readable") {
        let path = entry.expect("dir entry").path();
        let is_json = path.extension().is_some_and(|ext| ext == "json");
        if !is_json || path.ends_with("schema.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("notice is readable");
        let notice: serde_json::Value = serde_json::from_str(&text).expect("notice is JSON");
        for day in notice["days"].as_array().expect("days is an array") {
            let date =
                NaiveDate::parse_from_str(day["date"].as_str().expect("date"), "%Y-%m-%d").expect("date is YYYY-MM-DD");
            table.insert(date, day["isOffDay"].as_bool().expect("isOffDay is a bool"));
        }
    }
    table
}

fn expected_due_date(table: &HashMap<NaiveDate, bool>, submitted: NaiveDate, n: u32) -> NaiveDate {
    let mut day = submitted;
    let mut counted = 0;
    while counted < n {
        day += Duration::days(1);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let working = table.get(&day).map_or(!weekend, |off| !off);
        if working {
            counted += 1;
        }
    }
    day
}

fn local(day: NaiveDate, h: u32, m: u32, s: u32) -> DateTime<FixedOffset> {
    shanghai()
        .from_local_datetime(&day.and_hms_opt(h, m, s).expect("valid time"))
        .single()
        .expect("fixed offset")
}

fn end_of(day: NaiveDate) -> DateTime<FixedOffset> {
    local(day, 23, 59, 59)
}

#[test]
fn a_submission_before_national_day_is_due_after_the_holiday() {
    let deadline = WorkingCalendar::bundled().add_working_days(&at("2025-09-30T10:00:00+08:00"), 2);
    assert_eq!(deadline.due_at, at("2025-10-10T23:59:59+08:00"));
    assert!(deadline.uncovered_years.is_empty());
}

#[test]
fn a_sunday_make_up_day_counts_as_a_working_day() {
    let calendar = WorkingCalendar::bundled();
    for time in ["00:00:00", "10:00:00", "23:59:59"] {
        let submitted = at(&format!("2025-09-26T{time}+08:00"));
        let deadline = calendar.add_working_days(&submitted, 2);
        assert_eq!(
            deadline.due_at,
            at("2025-09-29T23:59:59+08:00"),
            "submitted {submitted}"
        );
    }
}

#[test]
fn the_submission_date_is_taken_in_shanghai_time() {
    // 20:00 UTC on Monday the 29th is already Tuesday the 30th in Shanghai.
    let submitted = Utc.with_ymd_and_hms(2025, 9, 29, 20, 0, 0).single().expect("valid");
    let deadline = WorkingCalendar::bundled().add_working_days(&submitted, 2);
    assert_eq!(deadline.due_at, at("2025-10-10T23:59:59+08:00"));
}

#[test]
fn every_day_of_2025_and_2026_matches_a_table_built_from_the_notices() {
    let calendar = WorkingCalendar::bundled();
    let table = notice_table();
    let mut day = date(2025, 1, 1);
    while day.year() <= 2026 {
        for n in [2, 7] {
            let due = expected_due_date(&table, day, n);
            let expected_uncovered: Vec<i32> = if due.year() == 2027 { vec![2027] } else { vec![] };
            let morning = local(day, 10, 0, 0);
            let late = local(day, 23, 30, 0);
            // The late submission is given in UTC so the conversion is exercised too.
            let deadlines = [
                calendar.add_working_days(&morning, n),
                calendar.add_working_days(&late.with_timezone(&Utc), n),
            ];
            for deadline in deadlines {
                assert_eq!(deadline.due_at, end_of(due), "submitted {day}, n = {n}");
                assert_eq!(deadline.uncovered_years, expected_uncovered, "submitted {day}");
            }
        }
        day += Duration::days(1);
    }
}

#[test]
fn the_bundled_notices_cover_2019_to_2026_only() {
    let calendar = WorkingCalendar::bundled();
    assert_eq!(calendar.covered_years(), (2019..=2026).collect::<Vec<_>>());
    assert!(calendar.covers(2025));
    assert!(!calendar.covers(2027));
    assert!(!calendar.covers(2018));
}

#[test]
fn a_day_listed_in_the_next_years_notice_applies_to_its_own_date() {
    let text = std::fs::read_to_string(data_dir().join("2019.json")).expect("2019 notice");
    let calendar = WorkingCalendar::from_notices([("2019.json", text.as_str())]).expect("valid");
    assert!(calendar.is_working_day(date(2018, 12, 29)), "Saturday make-up day");
    assert!(!calendar.is_working_day(date(2018, 12, 31)), "New Year's Eve off");
    assert!(!calendar.covers(2018));
}

#[test]
fn a_year_without_a_notice_falls_back_to_monday_to_friday_and_is_reported() {
    let calendar = WorkingCalendar::bundled();
    // New Year's Day 2027 is a Friday; without a notice it counts as a working day.
    let deadline = calendar.add_working_days(&at("2026-12-31T10:00:00+08:00"), 1);
    assert_eq!(deadline.due_at, at("2027-01-01T23:59:59+08:00"));
    assert_eq!(deadline.uncovered_years, vec![2027]);
    // Wednesday 2031-01-01 + 3 working days, skipping the weekend.
    let deadline = calendar.add_working_days(&at("2031-01-01T09:00:00+08:00"), 3);
    assert_eq!(deadline.due_at, at("2031-01-06T23:59:59+08:00"));
    assert_eq!(deadline.uncovered_years, vec![2031]);
    assert!(!calendar.is_working_day(date(2031, 1, 4)));
    assert!(calendar.is_working_day(date(2031, 1, 1)));
}

#[test]
fn a_directory_of_notices_replaces_the_bundled_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(data_dir().join("schema.json"), dir.path().join("schema.json")).expect("copy");
    let made_up = r#"{"year": 2027, "papers": ["https://example.invalid/2027"],
        "days": [{"name": "test", "date": "2027-01-04", "isOffDay": true}]}"#;
    std::fs::write(dir.path().join("2027.json"), made_up).expect("write notice");
    let submitted = at("2027-01-01T10:00:00+08:00");

    let bundled = WorkingCalendar::bundled().add_working_days(&submitted, 1);
    assert_eq!(bundled.due_at, at("2027-01-04T23:59:59+08:00"));
    assert_eq!(bundled.uncovered_years, vec![2027]);

    let calendar = WorkingCalendar::from_dir(dir.path()).expect("directory loads");
    assert!(calendar.covers(2027));
    let deadline = calendar.add_working_days(&submitted, 1);
    assert_eq!(deadline.due_at, at("2027-01-05T23:59:59+08:00"));
    assert!(deadline.uncovered_years.is_empty());
}

#[test]
fn the_shipped_data_directory_loads_like_the_bundled_notices() {
    let calendar = WorkingCalendar::from_dir(&data_dir()).expect("data dir loads");
    assert_eq!(calendar.covered_years(), WorkingCalendar::bundled().covered_years());
}

#[test]
fn a_malformed_notice_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("broken-2027.json"), r#"{"year": 2027, "days": ["#).expect("write notice");
    let err = WorkingCalendar::from_dir(dir.path()).expect_err("malformed file is rejected");
    assert!(matches!(err, CalendarError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("broken-2027.json"), "{err}");
}

#[test]
fn a_directory_without_notices_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = WorkingCalendar::from_dir(dir.path()).expect_err("empty dir is rejected");
    assert!(matches!(err, CalendarError::NoNotices { .. }), "{err:?}");
    let missing = dir.path().join("missing");
    let err = WorkingCalendar::from_dir(&missing).expect_err("missing dir is rejected");
    assert!(matches!(err, CalendarError::Io { .. }), "{err:?}");
}

#[test]
fn zero_working_days_is_due_at_the_end_of_the_submission_day() {
    let deadline = WorkingCalendar::bundled().add_working_days(&at("2025-10-01T10:00:00+08:00"), 0);
    assert_eq!(deadline.due_at, at("2025-10-01T23:59:59+08:00"));
}

#[test]
fn working_days_left_is_zero_on_the_due_date() {
    let calendar = WorkingCalendar::bundled();
    let due = at("2025-09-30T23:59:59+08:00");
    assert_eq!(calendar.working_days_left(&at("2025-09-30T08:00:00+08:00"), &due), 0);
    // 20:00 UTC on the 29th is already the 30th in Shanghai.
    let now = Utc.with_ymd_and_hms(2025, 9, 29, 20, 0, 0).single().expect("valid");
    assert_eq!(calendar.working_days_left(&now, &due), 0);
}

#[test]
fn working_days_left_counts_the_working_days_until_the_deadline() {
    let calendar = WorkingCalendar::bundled();
    let now = at("2025-09-30T10:00:00+08:00");
    let due = calendar.add_working_days(&now, 2).due_at;
    assert_eq!(calendar.working_days_left(&now, &due), 2);
}

#[test]
fn working_days_left_is_negative_once_overdue() {
    let calendar = WorkingCalendar::bundled();
    let due = at("2025-10-10T23:59:59+08:00");
    // Saturday the 11th is a make-up working day, so Monday is two working days late.
    assert_eq!(calendar.working_days_left(&at("2025-10-11T09:00:00+08:00"), &due), -1);
    assert_eq!(calendar.working_days_left(&at("2025-10-13T09:00:00+08:00"), &due), -2);
}

#[test]
fn next_years_missing_notice_is_reported_from_december_on_in_beijing_time() {
    let calendar = WorkingCalendar::bundled();
    assert_eq!(
        calendar.missing_years(&at("2026-11-30T23:59:00+08:00")),
        Vec::<i32>::new()
    );
    assert_eq!(calendar.missing_years(&at("2026-12-01T00:00:00+08:00")), vec![2027]);
    // Still November in UTC, already December in Beijing.
    let utc = Utc.with_ymd_and_hms(2026, 11, 30, 16, 30, 0).single().expect("a time");
    assert_eq!(calendar.missing_years(&utc), vec![2027]);
    assert_eq!(calendar.missing_years(&at("2027-03-01T09:00:00+08:00")), vec![2027]);
    assert_eq!(
        calendar.missing_years(&at("2025-12-15T09:00:00+08:00")),
        Vec::<i32>::new()
    );
}
