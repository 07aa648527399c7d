//! posdiag-core: what posdiag does with the devices — the event bus, profiles, the drivers
//! (ZVT terminal, ESC/POS printer, ISO 8583 host, the tap), checks, transactions, the guide,
//! captures and the session that ties them together. It knows no simulator and no screen:
//! the simulated devices (posdiag-sim) are handed to a session like any other endpoints, and
//! only the binary crate draws.

pub mod capture;
pub mod catalogue;
pub mod checks;
pub mod drivers;
pub mod event;
pub mod frame;
pub mod guide;
pub mod identify;
pub mod profile;
pub mod session;
pub mod txn;

pub use posdiag_link as link;
pub use posdiag_proto as proto;
pub use posdiag_proto::{durations, i18n, localtime, tr};
