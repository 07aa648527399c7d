//! The link error cases of the CLI, produced for real: a serial port the user may not open,
//! a port another program holds, and a TCP connect that times out. Each exits 3 and says what
//! to do.
//!
//! Permission and busy ports need an unprivileged user (root ignores both): when the tests run
//! as root with `setpriv` available they run posdiag as `nobody`; otherwise they say why they
//! did not run.

use std::os::unix::fs::PermissionsExt;
use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::posdiag;

/// A command line that runs posdiag as `nobody`, when that is possible here.
fn as_nobody() -> Option<StdCommand> {
    let root = StdCommand::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&root.stdout).trim() != "0" {
        eprintln!("skipped: needs root to run posdiag as an unprivileged user");
        return None;
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let mut cmd = StdCommand::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_posdiag"))
        .env_remove("LANG")
        .env_remove("LC_ALL");
    Some(cmd)
}

/// A scratch directory `nobody` can write its capture and log into.
fn shared_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    dir
}

fn check_serial(cmd: &mut StdCommand, port: &str, dir: &std::path::Path) -> std::process::Output {
    cmd.args([
        "check",
        "--profile",
        "zvt-serial",
        "--serial",
        port,
        "--capture",
    ])
    .arg(dir.join("c.jsonl"))
    .arg("--log-file")
    .arg(dir.join("log.txt"))
    .output()
    .expect("run")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permission_denied_names_the_group() {
    let Some(mut cmd) = as_nobody() else { return };
    let pty = posdiag::link::PtyPair::open().expect("pty");
    // A pty slave belongs to root, mode 0620: `nobody` may not open it.
    let dir = shared_dir();
    let out = check_serial(&mut cmd, pty.slave_path(), dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stdout.contains("link.permission_denied"), "{stdout}");
    assert!(stderr.contains("dialout"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn busy_port_says_another_program_holds_it() {
    let Some(mut cmd) = as_nobody() else { return };
    let pty = posdiag::link::PtyPair::open().expect("pty");
    std::fs::set_permissions(pty.slave_path(), std::fs::Permissions::from_mode(0o666))
        .expect("chmod");
    // Another program holds the port exclusively (TIOCEXCL, as serial tools do).
    let _holder = serialport::new(pty.slave_path(), 9600)
        .open()
        .expect("exclusive open");
    let dir = shared_dir();
    let out = check_serial(&mut cmd, pty.slave_path(), dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stdout.contains("link.port_busy"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_connect_timeout_exits_3_within_the_profile_timeout() {
    // A listener whose accept queue is full: the next connection attempt is never answered.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = socket.listen(0).expect("listen");
    let addr = listener.local_addr().expect("addr");
    let _filler = std::net::TcpStream::connect(addr).expect("fill the queue");
    let dir = tempfile::tempdir().expect("tmp");
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        posdiag()
            .args([
                "check",
                "--profile",
                "zvt-tcp",
                "--tcp",
                &addr.to_string(),
                "--capture",
            ])
            .arg(dir.path().join("c.jsonl"))
            .arg("--log-file")
            .arg(dir.path().join("log.txt"))
            .assert()
            .code(3)
            .stdout(predicate::str::contains("link.tcp_unreachable"))
            .get_output()
            .clone()
    })
    .await
    .expect("join");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("timed out") || stderr.contains("no answer"),
        "{stderr}"
    );
    // zvt-tcp's connect timeout is 3s; the run ends soon after it.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
}
