//! A running process's memory and threads as Linux reports them in /proc/PID/status, for the
//! tests that bound the tap's and the decoder's memory. Linux only.

/// The number on the line `key` of /proc/`pid`/status (kB for the memory lines).
pub fn status_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status.lines().find(|l| l.starts_with(key)).expect(key);
    line.split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("kB")
}
