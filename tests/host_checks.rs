//! The network and host checks against the simulated acquirer over loopback TCP: all pass
//! without faults; each `host.*` / `network.*` fault fails the right check naming its cause id;
//! TLS against a local rustls server with certificates generated here (valid, expired, not yet
//! valid, untrusted), the host channel itself running through that TLS server.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use posdiag::checks::{Area, CheckResult, CheckStatus};
use posdiag::profile::{load_profile, HiddenKey, HostSettings, Profile, SimulatedLink};
use posdiag::proto::iso8583::{Dialect, KeyMode};
use posdiag::session::{EventBus, SessionConfig};
use posdiag::sim::{Fault, SimConfig, SIM_MASTER_KEY};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

use crate::support::by_id;

const NETWORK_AND_HOST: [Area; 2] = [Area::Network, Area::Host];

async fn run_demo(faults: &[&str]) -> Vec<CheckResult> {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    profile.simulator.as_mut().expect("simulator").terminal_link = SimulatedLink::Tcp;
    let faults = faults
        .iter()
        .map(|f| Fault::parse(f).expect("fault"))
        .collect();
    let config = SessionConfig {
        profile,
        faults,
        serial: None,
        tcp: None,
    };
    let session = posdiag::session::open(config, EventBus::new())
        .await
        .expect("session");
    session.run_checks(&NETWORK_AND_HOST, None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_network_and_host_checks_pass() {
    let results = run_demo(&[]).await;
    let ids: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "host.terminal_diagnosis",
            "network.dns",
            "network.tcp",
            "network.latency",
            "host.sign_on",
            "host.echo",
            "host.keys"
        ]
    );
    for r in &results {
        assert_eq!(r.status, CheckStatus::Pass, "{} did not pass: {r:#?}", r.id);
        assert!(r.causes.is_empty(), "{}: {:?}", r.id, r.causes);
    }
    let keys = by_id(&results, "host.keys");
    assert!(
        keys.summary.en.contains("MACs verify both ways"),
        "{keys:#?}"
    );
    let sign_on = by_id(&results, "host.sign_on");
    // The frames behind the verdict: an 0800 and its 0810, on the host channel, keys redacted.
    assert!(sign_on.frames.iter().any(|f| f.summary.starts_with("0800")));
    assert!(sign_on.frames.iter().any(|f| f.summary.starts_with("0810")));
    assert!(sign_on
        .frames
        .iter()
        .all(|f| f.channel == posdiag::event::Channel::Host));
    let latency = by_id(&results, "network.latency");
    assert!(
        latency.evidence.iter().any(|e| e.value.contains("median")),
        "{latency:#?}"
    );
}

/// (fault, the check that must fail, its cause)
const FAULTS: &[(&str, &str, &str)] = &[
    ("host.decline=97", "host.sign_on", "host.decline"),
    // 51 is a card code (payments only); 96 (system malfunction) reaches the echo too.
    ("host.decline=96", "host.echo", "host.decline"),
    ("host.timeout", "host.sign_on", "host.timeout"),
    ("host.timeout", "host.terminal_diagnosis", "host.timeout"),
    ("host.mac_error", "host.echo", "host.mac_error"),
    ("host.mac_error", "host.keys", "host.mac_error"),
    ("host.resign_on", "host.echo", "host.resign_on"),
    ("host.duplicate", "host.echo", "host.duplicate"),
    ("network.down", "network.tcp", "network.down"),
    ("network.down", "host.terminal_diagnosis", "network.down"),
    ("network.slow=1200ms", "network.latency", "network.slow"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_fails_the_right_check() {
    use futures::StreamExt as _;
    // Each fault is its own session and simulator: a few at a time (they mostly wait on the
    // simulated host), results in the table's order.
    let runs: Vec<Vec<CheckResult>> = futures::stream::iter(FAULTS)
        .map(|(fault, _, _)| run_demo(std::slice::from_ref(fault)))
        .buffered(4)
        .collect()
        .await;
    for ((fault, check, cause), results) in FAULTS.iter().zip(runs) {
        let r = by_id(&results, check);
        assert_eq!(r.status, CheckStatus::Fail, "{fault}: {r:#?}");
        assert!(
            r.causes.iter().any(|c| c == cause),
            "{fault}: {check} names {:?}",
            r.causes
        );
        for c in results.iter().flat_map(|r| &r.causes) {
            assert!(
                posdiag::catalogue::CauseId::parse(c).is_some(),
                "{fault}: unknown cause {c}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declined_sign_on_shows_code_meaning_and_class() {
    let results = run_demo(&["host.decline=97"]).await;
    let r = by_id(&results, "host.sign_on");
    assert!(r.summary.en.contains("97"), "{r:#?}");
    assert!(r.summary.en.contains("terminal ID not found"), "{r:#?}");
    assert!(r.summary.zh.contains("终端号"), "{r:#?}");
    assert!(
        r.evidence
            .iter()
            .any(|e| e.label.en == "class" && e.value.starts_with('D')),
        "{r:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_down_fails_fast() {
    let started = Instant::now();
    let results = run_demo(&["network.down"]).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(by_id(&results, "network.latency").status, CheckStatus::Fail);
    for id in ["host.sign_on", "host.echo", "host.keys"] {
        assert!(
            by_id(&results, id)
                .causes
                .iter()
                .any(|c| c == "network.down"),
            "{id}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resign_on_request_is_surfaced_from_the_header() {
    let results = run_demo(&["host.resign_on"]).await;
    let echo = by_id(&results, "host.echo");
    assert!(
        echo.evidence.iter().any(|e| e
            .value_in(posdiag::i18n::Lang::Zh)
            .starts_with("3 重新签到")
            && e.value.starts_with("3 ")
            && !e.value.contains("重新签到")),
        "{echo:#?}"
    );
}

// --- TLS -----------------------------------------------------------------------------------

struct TestCert {
    pem: String,
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn certificate(not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> TestCert {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
    params.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
    params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    let cert = params.self_signed(&key).expect("self-signed");
    TestCert {
        pem: cert.pem(),
        der: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// A TLS server on loopback that forwards every connection to `upstream` (the simulated
/// acquirer), so the host channel runs over TLS end to end.
async fn tls_front(cert: &TestCert, upstream: std::net::SocketAddr) -> std::net::SocketAddr {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.der.clone()], cert.key.clone_key())
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let Ok(mut up) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
            });
        }
    });
    addr
}

fn host_profile(addr: String, ca_file: Option<&Path>) -> Profile {
    let (mut profile, _) = load_profile("cup-host").expect("cup-host profile");
    profile.host = Some(HostSettings {
        tcp: Some(addr),
        tls: true,
        tls_server_name: Some("localhost".to_owned()),
        tls_ca_file: ca_file.map(Path::to_path_buf),
        dialect: Dialect::cup(),
        tid: "29001006".to_owned(),
        mid: "898310048990001".to_owned(),
        batch: "000001".to_owned(),
        operator: "001".to_owned(),
        key_mode: KeyMode::Double,
        test_master_key: Some(HiddenKey::new(SIM_MASTER_KEY)),
        sign_on_probe: true,
        connect_timeout: Duration::from_secs(2),
        response_timeout: Duration::from_secs(2),
        latency_probes: 3,
        latency_limit: Duration::from_secs(1),
    });
    profile.checks.timeout = Duration::from_secs(8);
    profile
}

async fn run_tls(cert: &TestCert, trust: bool) -> Vec<CheckResult> {
    let sim = posdiag::sim::start(SimConfig {
        host_tcp: Some("127.0.0.1:0".to_owned()),
        ..SimConfig::default()
    })
    .await
    .expect("simulated acquirer");
    let upstream = sim.host_tcp.expect("host address");
    let front = tls_front(cert, upstream).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &cert.pem).expect("write CA");
    let profile = host_profile(front.to_string(), trust.then_some(ca.as_path()));
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial: None,
        tcp: None,
    };
    let session = posdiag::session::open(config, EventBus::new())
        .await
        .expect("session");
    let results = session.run_checks(&NETWORK_AND_HOST, None).await.0;
    drop(sim);
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_handshake_and_host_over_tls() {
    let cert = certificate((2020, 1, 1), (2090, 1, 1));
    let results = run_tls(&cert, true).await;
    let tls = by_id(&results, "network.tls");
    assert_eq!(tls.status, CheckStatus::Pass, "{tls:#?}");
    for label in [
        "valid from (notBefore)",
        "valid until (notAfter)",
        "laptop clock",
    ] {
        assert!(
            tls.evidence.iter().any(|e| e.label.en == label),
            "{label}: {tls:#?}"
        );
    }
    assert!(tls
        .evidence
        .iter()
        .any(|e| e.value.starts_with("2090-01-01")));
    // The host channel itself runs through TLS: sign-on, echo and MACs work.
    for id in ["host.sign_on", "host.echo", "host.keys", "network.latency"] {
        assert_eq!(
            by_id(&results, id).status,
            CheckStatus::Pass,
            "{id}: {results:#?}"
        );
    }
    assert_eq!(by_id(&results, "network.dns").status, CheckStatus::Skip);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_not_yet_valid_certificates_fail_with_their_cause() {
    let cases = [
        ((2020, 1, 1), (2021, 1, 1), "network.cert_expired"),
        ((2090, 1, 1), (2091, 1, 1), "network.cert_not_yet_valid"),
    ];
    for (from, until, cause) in cases {
        let cert = certificate(from, until);
        let results = run_tls(&cert, true).await;
        let tls = by_id(&results, "network.tls");
        assert_eq!(tls.status, CheckStatus::Fail, "{cause}: {tls:#?}");
        assert_eq!(tls.causes, vec![cause]);
        assert!(
            tls.evidence
                .iter()
                .any(|e| e.label.en == "valid until (notAfter)"),
            "{tls:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_certificate_names_its_cause() {
    let cert = certificate((2020, 1, 1), (2090, 1, 1));
    let results = run_tls(&cert, false).await;
    let tls = by_id(&results, "network.tls");
    assert_eq!(tls.status, CheckStatus::Fail, "{tls:#?}");
    assert_eq!(tls.causes, vec!["network.cert_untrusted"]);
}

#[test]
fn every_fault_is_a_bilingual_cause() {
    // Fault ids are catalogue causes (checked against kb/ when posdiag-core is built).
    for info in posdiag::sim::VOCABULARY {
        assert!(!info.id.title().is_incomplete(), "{}", info.id);
    }
}

// --- The client against the simulated acquirer, over an in-memory stream ---------------------

use posdiag::drivers::iso8583::{
    FrameTransport, HostClient, HostError, MacCheck, TerminalIdentity,
};

fn identity() -> TerminalIdentity {
    TerminalIdentity {
        tid: "29001006".to_owned(),
        mid: "898310048990001".to_owned(),
        batch: "000001".to_owned(),
        operator: "001".to_owned(),
    }
}

#[tokio::test]
async fn sign_on_in_every_key_mode_then_signed_echo() {
    let master = posdiag::proto::iso8583::MasterKey::from_hex(SIM_MASTER_KEY).expect("key");
    for mode in [KeyMode::Single, KeyMode::Double, KeyMode::DoubleWithTdk] {
        let (ours, theirs) = tokio::io::duplex(4096);
        let sim = posdiag::sim::AcquirerSim::new(Vec::new());
        let server = tokio::spawn(async move {
            let mut t = FrameTransport::new(theirs, Dialect::cup());
            let _ = sim.serve(&mut t).await;
        });
        let transport = FrameTransport::new(ours, Dialect::cup());
        let mut client = HostClient::new(transport, identity(), Duration::from_secs(2));
        let s = client.sign_on(mode, Some(&master)).await.expect("sign-on");
        assert_eq!(s.exchange.response.str(39), Some("00"), "{mode:?}");
        let keys = s.keys.expect("field 62").expect("keys open");
        assert_eq!(keys.keys.len(), mode.roles().len(), "{mode:?}");
        assert!(client.has_mac_key());
        let echo = client.echo().await.expect("echo");
        assert_eq!(echo.response.str(39), Some("00"));
        assert_eq!(echo.mac, MacCheck::Verified, "{mode:?}");
        assert_eq!(echo.response.str(11), echo.request.str(11));
        server.abort();
    }
}

#[tokio::test]
async fn responses_pair_by_stan_and_tid_and_time_out() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let transport = FrameTransport::new(ours, Dialect::cup());
    let mut client = HostClient::new(transport, identity(), Duration::from_millis(300));
    let peer = tokio::spawn(async move {
        let mut buf = vec![0u8; 512];
        let n = theirs.read(&mut buf).await.expect("request");
        let d = Dialect::cup();
        let request = posdiag::proto::iso8583::decode(&d, &buf[..n]).expect("decodes");
        let stan = request.str(11).expect("stan").to_owned();
        let answer = |stan: &str, tid: &str| {
            posdiag::proto::iso8583::Message::new(
                posdiag::proto::iso8583::Mti::new("0830").expect("mti"),
            )
            .with(11, posdiag::proto::iso8583::FieldValue::digits(stan))
            .with(39, posdiag::proto::iso8583::FieldValue::text("00"))
            .with(41, posdiag::proto::iso8583::FieldValue::text(tid))
            .encode(&d)
            .expect("encode")
        };
        // Someone else's answer, then one for another terminal, then ours.
        theirs
            .write_all(&answer("999999", "29001006"))
            .await
            .expect("w");
        theirs
            .write_all(&answer(&stan, "11111111"))
            .await
            .expect("w");
        theirs
            .write_all(&answer(&stan, "29001006"))
            .await
            .expect("w");
        theirs
    });
    let echo = client.echo().await.expect("paired");
    assert_eq!(echo.unmatched, 2);
    assert_eq!(echo.response.str(41), Some("29001006"));
    let _peer = peer.await.expect("peer");
    // Nobody answers the next one.
    match client.echo().await {
        Err(HostError::NoResponse { waited, .. }) => {
            assert_eq!(waited, Duration::from_millis(300))
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}
