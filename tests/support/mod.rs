//! Helpers shared by several test modules (and, by `#[path]`, by the benches and fuzz targets).

pub mod leak_oracle;
pub mod nexo_sim;
pub mod par;
#[cfg(target_os = "linux")]
pub mod peak_rss;
#[cfg(target_os = "linux")]
pub mod proc_status;

/// The posdiag binary, in English whatever the machine's locale (LANG and LC_ALL removed):
/// what the CLI tests start, each adding its own log level or arguments.
pub fn posdiag() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("posdiag").expect("binary");
    cmd.env_remove("LANG").env_remove("LC_ALL");
    cmd
}

/// The result of check `id`; the test fails naming what there was when it is missing.
pub fn by_id<'a>(
    results: &'a [posdiag::checks::CheckResult],
    id: &str,
) -> &'a posdiag::checks::CheckResult {
    results
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {results:#?}"))
}
