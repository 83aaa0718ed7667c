//! HTTP integration tests: each test starts the real server on a fresh data directory
//! (see `helpers::spawn_app`) and talks to it over TCP like the web app does.

mod evidence;
mod helpers;
mod live;
mod orders;
mod restart;
mod session;
mod submission;
mod tracking;
mod web;
mod withdraw;
