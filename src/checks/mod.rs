//! Checks: one module per area, each producing a [`CheckResult`] with evidence and cause ids.
//!
//! Terminal checks share one read-only Status-Enquiry ([`TerminalProbe`]); the runner runs
//! every check concurrently under its own timeout from the profile.

pub mod causes;
mod clock;
mod common;
mod keys;
mod link;
mod plan;
mod power;
mod probe;
mod reader;
mod result;
mod runner;
mod terminal;

pub use plan::{available_specs, plan, terminal_specs, CheckContext};
pub use probe::{StatusOutcome, StatusSnapshot, TerminalProbe};
pub use result::{Area, CheckResult, CheckStatus, Evidence};
pub use runner::{run_concurrently, CheckSpec, PlannedCheck};
