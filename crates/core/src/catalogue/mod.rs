//! The catalogue: the ids posdiag's parts share — the faults a simulated device can show
//! (each one a cause of the knowledge base).

pub mod faults;

pub use faults::{FaultInfo, NEXO_ONLY, VOCABULARY};
