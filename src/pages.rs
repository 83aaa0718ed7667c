//! One component per route.

pub mod appeal;
pub mod apply;
pub mod case;
pub mod cases;
pub mod complaint;
pub mod help;
pub mod home;
pub mod launch;
pub mod not_found;
pub mod notifications;
pub mod track;
