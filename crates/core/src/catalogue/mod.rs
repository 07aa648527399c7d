//! The catalogue: the ids posdiag's parts share — the causes of the knowledge base (generated
//! from `kb/` when the crate is built) and the faults a simulated device can show (each one a
//! cause).

pub mod causes;
pub mod faults;

pub use causes::{CauseEntry, CauseId, CAUSES};
pub use faults::{FaultInfo, NEXO_ONLY, VOCABULARY};
