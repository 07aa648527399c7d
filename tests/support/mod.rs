//! Helpers shared by several test modules (and, by `#[path]`, by the benches and fuzz targets).

pub mod leak_oracle;
pub mod nexo_sim;
pub mod par;
#[cfg(target_os = "linux")]
pub mod peak_rss;
#[cfg(target_os = "linux")]
pub mod proc_status;
