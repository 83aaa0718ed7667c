//! Widgets shared by several pages.

pub mod appeal;
pub mod case_view;
pub mod confirmation;
pub mod dated;
pub mod deadline;
pub mod error_view;
pub mod focus;
pub mod header;
pub mod how_it_works;
pub mod lang_switch;
pub mod loaded;
pub mod loading;
pub mod notifications;
pub mod state_badge;
pub mod wizard;
