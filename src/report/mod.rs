//! Text, JSON and Markdown renderings of the same data, for the headless modes.
//!
//! JSON shapes are contracts for scripts (DESIGN.md): keep the documented keys stable.

mod check_run;
mod guide;
mod guide_json;

pub use check_run::{CheckRun, OutputFormat};
pub use guide::GuideReport;
