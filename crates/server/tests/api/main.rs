//! HTTP integration tests: each test starts the real server on a fresh data directory
//! (see `helpers::spawn_app`) and talks to it over TCP like the web app does.

mod appeals;
mod authorization;
mod case_reads;
mod complaints;
mod concurrent_submissions;
mod console;
mod deadlines;
mod decisions;
mod defects;
mod durability;
mod edge;
mod evidence;
mod force_majeure;
mod helpers;
mod live;
mod logs;
mod messages;
mod metrics;
mod openapi;
mod orders;
mod privacy;
mod restart;
mod s3;
mod scale_out;
mod session;
mod submission;
mod tracking;
mod web;
mod webhooks;
mod withdraw;
