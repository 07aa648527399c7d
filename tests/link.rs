//! Transports end to end, without hardware: a pty opened through the real serial code path,
//! TCP over loopback, and the errors a technician sees when something is missing.

use std::time::Duration;

use posdiag::link::{
    connect_tcp, is_link_lost, open_serial, ports, BoxedLink, Framing, Link, LinkError, LinkKind,
    SerialSettings, TcpLink,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);

/// Reads exactly `n` bytes or fails the test after a few seconds.
async fn read_n(r: &mut (impl AsyncRead + Unpin), n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    timeout(WAIT, r.read_exact(&mut buf))
        .await
        .expect("timed out waiting for bytes")
        .expect("read failed");
    buf
}

/// True when nothing arrives within a short while.
async fn stays_quiet(r: &mut (impl AsyncRead + Unpin)) -> bool {
    let mut buf = [0u8; 64];
    match timeout(Duration::from_millis(200), r.read(&mut buf)).await {
        Err(_elapsed) => true,
        Ok(Ok(n)) => panic!("expected silence, got {n} bytes / EOF: {:02X?}", &buf[..n]),
        Ok(Err(e)) => panic!("expected silence, got error {e}"),
    }
}

/// Sends `data` both ways between a link and its peer.
async fn exchange(
    link: &mut BoxedLink,
    peer: &mut (impl AsyncRead + AsyncWrite + Unpin),
    data: &[u8],
) {
    link.write_all(data).await.unwrap();
    link.flush().await.unwrap();
    assert_eq!(read_n(peer, data.len()).await, data);
    let reply: Vec<u8> = data.iter().rev().copied().collect();
    peer.write_all(&reply).await.unwrap();
    peer.flush().await.unwrap();
    assert_eq!(read_n(link, reply.len()).await, reply);
}

/// Every byte value, including CR, LF, XON/XOFF, Ctrl-C and Ctrl-D that a tty in cooked mode
/// would translate, swallow or echo.
fn all_bytes() -> Vec<u8> {
    (0u8..=255).collect()
}

#[cfg(unix)]
#[tokio::test]
async fn pty_slave_opens_as_a_serial_port_and_carries_every_byte() {
    let mut pty = posdiag::link::PtyPair::open().unwrap();
    let path = pty.slave_path().to_string();
    let settings = SerialSettings::new(&path, 9600).with_framing(Framing::F8N2);
    let mut link: BoxedLink = Box::new(open_serial(&settings).unwrap());

    assert_eq!(link.kind(), LinkKind::Serial);
    assert_eq!(link.target(), format!("{path} 9600 8N2"));
    exchange(&mut link, &mut pty, &all_bytes()).await;
    // Raw mode: no echo of what the client wrote or of what it received.
    assert!(stays_quiet(&mut link).await);
    assert!(stays_quiet(&mut pty).await);

    // The simulator sees what the client configured.
    assert_eq!(pty.slave_baud().unwrap(), 9600);
    let seen = pty.client_settings().unwrap();
    assert_eq!((seen.baud, seen.framing()), (9600, Framing::F8N2));

    // A pty has no modem lines: reported as unavailable, and the link keeps working.
    assert_eq!(link.modem_lines().unwrap(), None);
    link.set_dtr(false).unwrap();
    link.set_rts(true).unwrap();
    exchange(&mut link, &mut pty, b"\x10\x02\x05\x01\x00\x10\x03").await;

    // The baud scan changes settings on the open link.
    let faster = SerialSettings::new(&path, 115200).with_framing(Framing::F7E1);
    link.reconfigure(&faster).unwrap();
    assert_eq!(link.target(), format!("{path} 115200 7E1"));
    assert_eq!(pty.slave_baud().unwrap(), 115200);
}

#[cfg(unix)]
#[tokio::test]
async fn pty_master_survives_the_client_closing_and_reopening() {
    let mut pty = posdiag::link::PtyPair::open().unwrap();
    let path = pty.slave_path().to_string();

    for (round, baud) in [9600u32, 19200, 38400].into_iter().enumerate() {
        let mut link: BoxedLink = Box::new(open_serial(&SerialSettings::new(&path, baud)).unwrap());
        exchange(&mut link, &mut pty, format!("round {round}").as_bytes()).await;
        assert_eq!(pty.slave_baud().unwrap(), baud);
        drop(link);
        // No hang-up on the master while no client is connected: reads just wait.
        assert!(stays_quiet(&mut pty).await);
    }

    // Bytes written while nobody listened can be dropped before the next client comes.
    pty.write_all(b"stale\r\n").await.unwrap();
    pty.flush().await.unwrap();
    // The slave is raw even with no client: nothing is echoed back to the master.
    assert!(stays_quiet(&mut pty).await);
    pty.discard_pending().unwrap();
    let mut link: BoxedLink = Box::new(open_serial(&SerialSettings::new(&path, 9600)).unwrap());
    assert!(stays_quiet(&mut link).await);
    exchange(&mut link, &mut pty, b"fresh").await;
}

/// A client that dies without closing the port properly (killed, Ctrl-C) must not lock the
/// simulator's pty for the next client. Only fails for non-root users: root ignores TIOCEXCL.
#[cfg(unix)]
#[tokio::test]
async fn pty_reopens_after_a_client_died_without_cleanup() {
    use std::os::unix::io::AsRawFd;
    let mut pty = posdiag::link::PtyPair::open().unwrap();
    let path = pty.slave_path().to_string();
    let crashed = open_serial(&SerialSettings::new(&path, 9600)).unwrap();
    let fd = crashed.as_raw_fd();
    // What the kernel does when a process dies: the fd is closed, no destructor runs.
    std::mem::forget(crashed);
    // SAFETY: `fd` belongs to the forgotten link and is closed exactly once, here.
    assert_eq!(unsafe { libc::close(fd) }, 0);

    let mut link: BoxedLink = Box::new(open_serial(&SerialSettings::new(&path, 9600)).unwrap());
    exchange(&mut link, &mut pty, b"again").await;
}

#[tokio::test]
async fn tcp_loopback_carries_bytes_both_ways() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (link, accepted) = tokio::join!(connect_tcp(&addr, WAIT), listener.accept());
    let (mut peer, _) = accepted.unwrap();
    let mut link: BoxedLink = Box::new(link.unwrap());

    assert_eq!(link.kind(), LinkKind::Tcp);
    assert_eq!(link.target(), format!("tcp {addr}"));
    exchange(&mut link, &mut peer, &all_bytes()).await;

    assert_eq!(link.modem_lines().unwrap(), None);
    link.set_dtr(true).unwrap();
    link.set_rts(true).unwrap();
    let err = link
        .reconfigure(&SerialSettings::new("", 9600))
        .unwrap_err();
    assert!(matches!(err, LinkError::NotSerial { .. }), "{err}");

    // The peer going away is seen as end of stream.
    drop(peer);
    let mut buf = [0u8; 8];
    let n = timeout(WAIT, link.read(&mut buf)).await.unwrap().unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn tcp_reset_by_peer_counts_as_link_lost() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (link, accepted) = tokio::join!(connect_tcp(&addr, WAIT), listener.accept());
    let mut link = link.unwrap();
    let (peer, _) = accepted.unwrap();
    peer.set_zero_linger().unwrap();
    drop(peer); // RST instead of FIN

    let mut buf = [0u8; 8];
    let err = timeout(WAIT, link.read(&mut buf))
        .await
        .unwrap()
        .expect_err("a reset connection fails the read");
    assert!(is_link_lost(&err), "{err:?}");
    assert!(LinkError::from_io(&link.target(), err).is_lost());
}

#[tokio::test]
async fn tcp_accepted_stream_is_a_link_too() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (client, accepted) = tokio::join!(tokio::net::TcpStream::connect(addr), listener.accept());
    let mut client = client.unwrap();
    let link = TcpLink::from_stream(accepted.unwrap().0).unwrap();
    assert!(link.target().starts_with("tcp 127.0.0.1:"));
    let mut link: BoxedLink = Box::new(link);
    exchange(&mut link, &mut client, b"\x06").await;
}

#[tokio::test]
async fn tcp_connection_refused_names_the_address() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);

    let err = connect_tcp(&addr, WAIT).await.unwrap_err();
    match &err {
        LinkError::TcpRefused { addr: a } => assert_eq!(a, &addr),
        other => panic!("expected TcpRefused, got {other:?}"),
    }
    assert!(err.to_string().contains(&addr), "{err}");
    assert!(err.hint().en.contains("ECR"), "{}", err.hint().en);
    assert!(!err.hint().zh.is_empty());
}

#[tokio::test]
async fn tcp_address_without_port_is_rejected() {
    let err = connect_tcp("127.0.0.1", WAIT).await.unwrap_err();
    assert!(matches!(err, LinkError::BadAddress { .. }), "{err}");
}

#[tokio::test]
async fn missing_serial_port_lists_the_ports_that_exist() {
    let err = open_serial(&SerialSettings::new("/dev/ttyDOESNOTEXIST", 9600)).unwrap_err();
    let present = ports::port_names();
    match &err {
        LinkError::PortNotFound { port, available } => {
            assert_eq!(port, "/dev/ttyDOESNOTEXIST");
            assert_eq!(available, &present);
        }
        other => panic!("expected PortNotFound, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("/dev/ttyDOESNOTEXIST"), "{message}");
    match present.first() {
        Some(first) => assert!(message.contains(first.as_str()), "{message}"),
        None => assert!(message.contains("no serial ports were found"), "{message}"),
    }
}

#[tokio::test]
async fn empty_port_name_says_to_choose_one() {
    let err = open_serial(&SerialSettings::new("", 9600)).unwrap_err();
    assert!(matches!(&err, LinkError::PortNotFound { port, .. } if port.is_empty()));
    assert!(err.hint().en.contains("--serial"), "{}", err.hint().en);
}

#[test]
fn open_serial_outside_a_runtime_is_an_error_not_a_panic() {
    let err = open_serial(&SerialSettings::new("/dev/ttyDOESNOTEXIST", 9600)).unwrap_err();
    assert!(matches!(err, LinkError::Io { .. }), "{err:?}");
}
