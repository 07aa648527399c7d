//! The presence probe against a peer on loopback TCP that answers each way a line can: ACK
//! (then expects EOT), NAK, something else, nothing, or hangs up.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::line::{ConcertLine, Presence};
use crate::drivers::terminal::TerminalError;
use crate::frame::LinkState;
use crate::link::Endpoint;

/// A peer that reads ENQ, writes `answer` (closing instead when `None`), and returns what
/// it read afterwards.
async fn peer(answer: Option<&'static [u8]>) -> (String, tokio::task::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut enq = [0u8; 1];
        s.read_exact(&mut enq).await.unwrap();
        assert_eq!(enq, [0x05]);
        let Some(answer) = answer else {
            return Vec::new();
        };
        s.write_all(answer).await.unwrap();
        let mut rest = vec![0u8; 16];
        let n = tokio::time::timeout(Duration::from_millis(500), s.read(&mut rest))
            .await
            .map_or(0, |r| r.unwrap_or(0));
        rest.truncate(n);
        rest
    });
    (addr, task)
}

fn line(addr: String) -> (ConcertLine, Arc<Mutex<Vec<LinkState>>>) {
    let states = Arc::new(Mutex::new(Vec::new()));
    let seen = states.clone();
    let line = ConcertLine::new(
        Endpoint::Tcp(addr),
        Duration::from_secs(2),
        Arc::new(|_| {}),
        Arc::new(move |s| seen.lock().unwrap().push(s)),
    );
    (line, states)
}

const WINDOW: Duration = Duration::from_millis(400);

#[tokio::test]
async fn ack_is_presence_and_the_session_is_closed_with_eot() {
    let (addr, task) = peer(Some(&[0x06])).await;
    let (line, states) = line(addr);
    let Presence::Free(frames) = line.presence(WINDOW).await.expect("present") else {
        panic!("not free")
    };
    let raw: Vec<Vec<u8>> = frames.iter().map(|f| f.raw.clone()).collect();
    assert_eq!(raw, [vec![0x05], vec![0x06], vec![0x04]]);
    assert_eq!(task.await.unwrap(), [0x04], "EOT after ACK");
    assert!(matches!(
        states.lock().unwrap().last(),
        Some(LinkState::Connected { .. })
    ));
}

#[tokio::test]
async fn nak_and_enq_are_a_busy_terminal_and_other_bytes_are_kept_for_the_fingerprint() {
    let (addr, _task) = peer(Some(&[0x15])).await;
    let presence = line(addr).0.presence(WINDOW).await.expect("answered");
    assert!(matches!(presence, Presence::Refused(_)), "{presence:?}");
    // A terminal that wants to send itself (an earlier answer waiting) is not taken for noise,
    // and its ENQ is not acknowledged (the cash register would lose the answer).
    let (addr, task) = peer(Some(&[0x05])).await;
    let presence = line(addr).0.presence(WINDOW).await.expect("answered");
    assert!(matches!(presence, Presence::WantsToSend(_)), "{presence:?}");
    assert_eq!(task.await.unwrap(), b"");
    let (addr, _task) = peer(Some(b"VER|APP 1.2")).await;
    let failure = line(addr).0.presence(WINDOW).await.unwrap_err();
    assert!(matches!(failure.error, TerminalError::Protocol { .. }));
    assert_eq!(failure.wire.unframed_sample, b"VER|APP 1.2");
    assert_eq!(failure.wire.bytes_in, 11);
}

#[tokio::test]
async fn a_stale_answer_frame_is_masked_in_the_evidence() {
    // Card data in the bytes: the sample goes through the codec's redaction (cut at 32 bytes,
    // a frame that cannot be placed is hidden whole).
    let frame: &'static [u8] = b"\x0201049701000000000000 2512  \x03\x00";
    let (addr, _task) = peer(Some(frame)).await;
    let failure = line(addr).0.presence(WINDOW).await.unwrap_err();
    let shown = String::from_utf8_lossy(&failure.wire.unframed_sample).to_string();
    assert!(!shown.contains("49701000000000"), "{shown}");
}

#[tokio::test]
async fn silence_is_no_answer_and_a_hang_up_is_a_lost_line() {
    let (addr, _task) = peer(Some(b"")).await;
    let failure = line(addr).0.presence(WINDOW).await.unwrap_err();
    assert!(matches!(failure.error, TerminalError::NoAnswer { .. }));
    assert_eq!(failure.wire.bytes_in, 0);
    let (addr, _task) = peer(None).await;
    let (line, states) = line(addr);
    assert!(line.presence(WINDOW).await.is_err());
    assert!(states
        .lock()
        .unwrap()
        .iter()
        .any(|s| matches!(s, LinkState::Lost { .. })));
}
