//! Reading payment orders from an operator's CSV file.
//!
//! Columns (header row required): `appid,openid,nickname,order_no,item,amount_fen,paid_at`,
//! with `amount_fen` a positive whole number of fen and `paid_at` an RFC 3339 instant.
//! The whole file is checked before anything is stored, and one bad line rejects it all,
//! with its line number in the message.

use std::io::Read;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::store::ImportedOrder;

const COLUMNS: [&str; 7] = [
    "appid",
    "openid",
    "nickname",
    "order_no",
    "item",
    "amount_fen",
    "paid_at",
];

/// A line of the file that cannot be imported.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {problem}")]
pub struct CsvError {
    pub line: u64,
    pub problem: String,
}

#[derive(Debug, Deserialize)]
struct Row {
    appid: String,
    openid: String,
    nickname: String,
    order_no: String,
    item: String,
    amount_fen: String,
    paid_at: String,
}

/// Parses every line, stopping at the first bad one.
pub fn parse_orders(input: impl Read) -> Result<Vec<ImportedOrder>, CsvError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(input);
    let header = reader.headers().map_err(|e| CsvError {
        line: 1,
        problem: e.to_string(),
    })?;
    if header.iter().collect::<Vec<_>>() != COLUMNS {
        return Err(CsvError {
            line: 1,
            problem: format!("the header must be {}", COLUMNS.join(",")),
        });
    }
    let mut orders = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for result in reader.deserialize::<Row>() {
        let row = result.map_err(|e| CsvError {
            line: e.position().map_or(0, csv::Position::line),
            problem: e.to_string(),
        })?;
        let line = orders.len() as u64 + 2;
        let order = check_row(row, line)?;
        if !seen.insert(order.order_no.clone()) {
            return Err(CsvError {
                line,
                problem: format!("order {} appears twice in the file", order.order_no),
            });
        }
        orders.push(order);
    }
    Ok(orders)
}

fn check_row(row: Row, line: u64) -> Result<ImportedOrder, CsvError> {
    let problem = |problem: String| CsvError { line, problem };
    for (name, value) in [
        ("appid", &row.appid),
        ("openid", &row.openid),
        ("order_no", &row.order_no),
        ("item", &row.item),
    ] {
        if value.is_empty() {
            return Err(problem(format!("{name} is empty")));
        }
    }
    let amount_fen: i64 = row.amount_fen.parse().ok().filter(|fen| *fen > 0).ok_or_else(|| {
        problem(format!(
            "amount_fen {:?} is not a positive whole number of fen",
            row.amount_fen
        ))
    })?;
    let paid_at: DateTime<Utc> = DateTime::parse_from_rfc3339(&row.paid_at)
        .map_err(|e| problem(format!("paid_at {:?} is not an RFC 3339 time ({e})", row.paid_at)))?
        .with_timezone(&Utc);
    let nickname = if row.nickname.is_empty() {
        row.openid.clone()
    } else {
        row.nickname
    };
    Ok(ImportedOrder {
        line,
        appid: row.appid,
        openid: row.openid,
        nickname,
        order_no: row.order_no,
        item: row.item,
        amount_fen,
        paid_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "appid,openid,nickname,order_no,item,amount_fen,paid_at\n";

    #[test]
    fn a_good_file_parses_every_line() {
        let csv = format!(
            "{HEADER}wxg,p1,小明,O-1,60 钻石,600,2026-11-20T22:15:00+08:00\nwxg,p1,小明,O-2,月卡,3000,2026-11-21T01:02:03+08:00\n"
        );
        let orders = parse_orders(csv.as_bytes()).expect("valid");
        assert_eq!(orders.len(), 2);
        assert_eq!(orders[1].amount_fen, 3000);
        assert_eq!(orders[1].paid_at.to_rfc3339(), "2026-11-20T17:02:03+00:00");
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number() {
        let csv = format!(
            "{HEADER}wxg,p1,a,O-1,x,600,2026-11-20T22:15:00+08:00\nwxg,p1,a,O-2,x,-5,2026-11-20T22:15:00+08:00\n"
        );
        let error = parse_orders(csv.as_bytes()).expect_err("negative amount");
        assert_eq!(error.line, 3);
        assert!(error.problem.contains("amount_fen"), "{error}");

        let csv = format!("{HEADER}wxg,p1,a,O-1,x,600,yesterday\n");
        assert_eq!(parse_orders(csv.as_bytes()).expect_err("bad time").line, 2);

        let csv = format!(
            "{HEADER}wxg,p1,a,O-1,x,600,2026-11-20T22:15:00+08:00\nwxg,p1,a,O-1,x,600,2026-11-20T22:15:00+08:00\n"
        );
        assert_eq!(parse_orders(csv.as_bytes()).expect_err("duplicate").line, 3);
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let error = parse_orders("order_no,amount\nO-1,600\n".as_bytes()).expect_err("header");
        assert_eq!(error.line, 1);
    }
}
