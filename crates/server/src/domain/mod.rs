//! The domain: rules of cases, deadlines, money, evidence and tickets.
//!
//! Policy: nothing here knows HTTP or SQL; handlers and jobs call into it, and its
//! functions are pure or take their inputs (the clock included) as arguments.

pub mod appeal;
pub mod application;
pub mod calendar;
pub mod case_state;
pub mod credit;
pub mod decision;
pub mod force_majeure;
pub mod media;
pub mod money;
pub mod notify;
pub mod password;
pub mod retention;
pub mod ticket;
pub mod upload;
