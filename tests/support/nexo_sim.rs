//! A real `posdiag sim --terminal nexo` process with a known shared key, and a profile file
//! pointing at it (address, its test CA), for tests that go through a profile the way a
//! technician's does: the passphrase comes only from POSDIAG_NEXO_PASSPHRASE.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub const KEY_ID: &str = "PosdiagTestKey";
pub const KEY_VERSION: u32 = 7;

pub struct NexoSim {
    child: Child,
    _dir: tempfile::TempDir,
    /// The profile (`[nexo]` with the simulator's address and CA, no passphrase).
    pub profile: PathBuf,
}

impl NexoSim {
    /// Starts the simulator with `passphrase` and `faults`; waits for its endpoints.
    pub fn start(passphrase: &str, faults: &[&str]) -> NexoSim {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("posdiag"));
        cmd.args(["sim", "--terminal", "nexo", "--terminal-tcp", "127.0.0.1:0"])
            .args(["--nexo-key-id", KEY_ID, "--nexo-key-version"])
            .arg(KEY_VERSION.to_string())
            .args(["--format", "json"])
            .env("POSDIAG_NEXO_PASSPHRASE", passphrase)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for f in faults {
            cmd.args(["--fault", f]);
        }
        let mut child = cmd.spawn().expect("posdiag sim starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the simulator prints its endpoints");
        let ends: serde_json::Value = serde_json::from_str(&line).expect("endpoints as JSON");
        let dir = tempfile::tempdir().expect("tmp");
        let profile = dir.path().join("nexo-test.toml");
        let text = format!(
            "name = \"nexo-test\"\n\
             description = {{ zh = \"测试\", en = \"test\" }}\n\
             [nexo]\n\
             tcp = \"{}\"\n\
             tls_ca_file = \"{}\"\n\
             key_identifier = \"{KEY_ID}\"\n\
             key_version = {KEY_VERSION}\n\
             poi_id = \"P400Plus-275039202\"\n\
             timeout = \"3s\"\n\
             payment_timeout = \"5s\"\n",
            ends["terminal_tcp"].as_str().expect("address"),
            ends["terminal_ca"].as_str().expect("CA path"),
        );
        std::fs::write(&profile, text).expect("profile written");
        NexoSim {
            child,
            _dir: dir,
            profile,
        }
    }
}

impl Drop for NexoSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
