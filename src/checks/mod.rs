//! Checks: one module per area, each producing a [`CheckResult`].

mod result;

pub use result::{Area, CheckResult, CheckStatus, Evidence};
