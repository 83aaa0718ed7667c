//! Wire types of the Refund Desk HTTP contract, shared by the web app and the server.
//!
//! Policy: serde (and wasm-safe crates) only; no behaviour beyond small, pure helpers
//! that both sides need to agree on (which evidence a case kind asks for, say).
//! Money on the wire is always integer fen (分, 1/100 yuan).

pub mod appeals;
pub mod cases;
pub mod complaints;
pub mod console;
pub mod credit;
pub mod decisions;
pub mod error;
pub mod events;
pub mod evidence;
pub mod force_majeure;
pub mod notifications;
pub mod orders;
pub mod pages;
pub mod privacy;
pub mod session;

pub use appeals::*;
pub use cases::*;
pub use complaints::*;
pub use console::*;
pub use credit::*;
pub use decisions::*;
pub use error::*;
pub use events::*;
pub use evidence::*;
pub use force_majeure::*;
pub use notifications::*;
pub use orders::*;
pub use pages::*;
pub use privacy::*;
pub use session::*;

/// An instant on the wire: RFC 3339 with the offset it was written in (the server writes +08:00).
pub type Instant = chrono::DateTime<chrono::FixedOffset>;

pub(crate) mod rfc3339;
