//! posdiag's nexo client (src/drivers/nexo/) against the simulated Adyen terminal over real
//! HTTPS on loopback: each diagnosis fault read per area, payments approved, declined,
//! approved-then-reversed and left open by a silent host (settled with TransactionStatus),
//! reversal, abort, busy, login required, and the errors a technician gets for a wrong
//! passphrase, a wrong CA, a certificate that names no terminal, a wrong clock and a closed port.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use posdiag::drivers::nexo::{
    summarize, Area, Level, NexoClient, NexoClientError, NexoConfig, Parties, PaymentSpec,
    PaymentState, Settled,
};
use posdiag::proto::nexo::{Category, SecurityKey};
use posdiag::sim::{start_nexo, Fault, NexoSimConfig, NexoSimHandle, SIM_NEXO_POIID};

const PASSPHRASE: &str = "driver-test-passphrase";
const KEY_ID: &str = "DriverKey";

fn key() -> SecurityKey {
    SecurityKey::new(PASSPHRASE, KEY_ID, 1)
}

async fn sim(faults: &[&str], host_wait: Option<Duration>) -> NexoSimHandle {
    let faults = faults
        .iter()
        .map(|f| Fault::parse(f).expect("fault"))
        .collect();
    start_nexo(NexoSimConfig {
        addr: "127.0.0.1:0".to_owned(),
        key: key(),
        faults,
        host_wait,
    })
    .await
    .expect("simulated nexo terminal")
}

fn config(addr: &str, trust: &Path, key: Option<SecurityKey>) -> NexoConfig {
    NexoConfig {
        addr: addr.to_owned(),
        trust_file: trust.to_owned(),
        key,
        parties: Parties {
            sale_id: "posdiag-test".to_owned(),
            poi_id: SIM_NEXO_POIID.to_owned(),
        },
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        payment_timeout: Duration::from_secs(3),
    }
}

fn client(sim: &NexoSimHandle) -> NexoClient {
    NexoClient::new(config(&sim.addr.to_string(), &sim.ca_path, Some(key()))).expect("client")
}

fn spec(id: &str) -> PaymentSpec {
    PaymentSpec {
        sale_transaction_id: id.to_owned(),
        currency: "EUR".to_owned(),
        amount: 12.34,
    }
}

#[tokio::test]
async fn each_diagnosis_fault_maps_to_its_area_and_cause() {
    let cases: &[(&[&str], Area, Level, Option<&str>)] = &[
        (&[], Area::Printer, Level::Ok, None),
        (
            &["printer.paper_out"],
            Area::Printer,
            Level::Fail,
            Some("printer.paper_out"),
        ),
        (
            &["printer.paper_near_end"],
            Area::Printer,
            Level::Warn,
            Some("printer.paper_near_end"),
        ),
        (
            &["printer.paper_jam"],
            Area::Printer,
            Level::Fail,
            Some("printer.paper_jam"),
        ),
        (
            &["reader.not_answering"],
            Area::Reader,
            Level::Fail,
            Some("reader.not_answering"),
        ),
        (
            &["network.down"],
            Area::Network,
            Level::Fail,
            Some("network.down"),
        ),
        (
            &["network.down"],
            Area::Host,
            Level::Fail,
            Some("network.down"),
        ),
        (
            &["host.timeout"],
            Area::Host,
            Level::Fail,
            // The terminal's network is up and its host does not answer (ZVT's A1).
            Some("host.timeout"),
        ),
        (
            &["keys.missing"],
            Area::Security,
            Level::Fail,
            Some("keys.missing"),
        ),
        (
            &["terminal.busy"],
            Area::Terminal,
            Level::Warn,
            Some("terminal.busy"),
        ),
    ];
    for (faults, area, level, cause) in cases {
        let sim = sim(faults, None).await;
        let answer = client(&sim).diagnosis().await.expect("diagnosis");
        assert!(answer.outcome.is_success(), "{faults:?}");
        let summary = summarize(&answer.diagnosis);
        let found = summary
            .area(*area)
            .unwrap_or_else(|| panic!("{faults:?}: no {area:?} in {summary:?}"));
        assert_eq!(
            (found.level, found.cause.map(|c| c.as_str())),
            (*level, *cause),
            "{faults:?}: {summary:?}"
        );
        if faults.is_empty() {
            assert_eq!(summary.worst(), Level::Ok, "{summary:?}");
            assert!(summary.causes().is_empty());
        }
    }
}

#[tokio::test]
async fn payment_approved_then_reversed_by_the_register() {
    let sim = sim(&[], None).await;
    let c = client(&sim);
    let pay = c.payment("101", &spec("T-101")).await.expect("payment");
    assert_eq!(pay.state, PaymentState::Approved, "{pay:?}");
    assert_eq!(pay.authorized_amount, Some(12.34));
    let pan = pay.masked_pan.clone().expect("masked PAN");
    assert!(pan.contains('*') && pan.len() >= 10, "{pan}");
    let status = c.transaction_status("101").await.expect("status");
    assert_eq!(status.settled(), Settled::Payment(PaymentState::Approved));
    let rev = c
        .reversal(
            pay.poi_transaction_id.as_deref().expect("POI id"),
            pay.poi_timestamp.as_deref().unwrap_or_default(),
        )
        .await
        .expect("reversal");
    assert!(rev.outcome.is_success(), "{rev:?}");
    assert_eq!(rev.reversed_amount, Some(12.34));
    // A second reversal of the same payment is not allowed.
    let again = c
        .reversal(pay.poi_transaction_id.as_deref().unwrap_or_default(), "")
        .await
        .expect("answer");
    assert_eq!(again.outcome.condition(), Some("NotAllowed"));
    // Every exchange was kept for the capture, decrypted and masked.
    let log = c.take_log();
    assert_eq!(log.len(), 4);
    assert!(log.iter().all(|r| r.encrypted && r.response.is_some()));
}

#[tokio::test]
async fn payment_declined_and_approved_then_reversed_by_the_terminal() {
    let sim = sim(&["host.decline=51"], None).await;
    let c = client(&sim);
    let pay = c.payment("201", &spec("T-201")).await.expect("payment");
    assert_eq!(pay.state, PaymentState::Declined);
    assert_eq!(pay.outcome.field("refusalReason"), Some("51"));
    let status = c.transaction_status("201").await.expect("status");
    assert_eq!(status.settled(), Settled::Payment(PaymentState::Declined));

    let sim = sim_receipt().await;
    let c = client(&sim);
    let pay = c.payment("301", &spec("T-301")).await.expect("payment");
    assert_eq!(pay.state, PaymentState::ApprovedThenReversed, "{pay:?}");
    let status = c.transaction_status("301").await.expect("status");
    assert_eq!(
        status.settled(),
        Settled::Payment(PaymentState::ApprovedThenReversed)
    );
}

async fn sim_receipt() -> NexoSimHandle {
    sim(&["txn.receipt_print_fail"], None).await
}

#[tokio::test]
async fn host_timeout_leaves_the_payment_open_until_transaction_status_settles_it() {
    let wait = Duration::from_millis(2500);
    let sim = sim(&["host.timeout"], Some(wait)).await;
    let mut cfg = config(&sim.addr.to_string(), &sim.ca_path, Some(key()));
    cfg.payment_timeout = Duration::from_millis(700);
    let c = NexoClient::new(cfg).expect("client");
    let started = std::time::Instant::now();
    let err = c.payment("401", &spec("T-401")).await.unwrap_err();
    assert!(err.outcome_unknown(), "{err}");
    assert_eq!(
        err.cause_id().map(|c| c.as_str()),
        Some("funds.outcome_unknown")
    );
    let text = err.to_string();
    assert!(
        text.contains("transaction status") && text.contains("401"),
        "{text}"
    );
    let open = c.transaction_status("401").await.expect("status");
    assert_eq!(open.settled(), Settled::InProgress, "{open:?}");
    tokio::time::sleep(wait.saturating_sub(started.elapsed()) + Duration::from_millis(300)).await;
    let done = c.transaction_status("401").await.expect("status");
    assert_eq!(
        done.settled(),
        Settled::Payment(PaymentState::Failed),
        "{done:?}"
    );
    let payment = done.payment.expect("repeated payment");
    assert_eq!(payment.outcome.condition(), Some("UnreachableHost"));
    // A payment the terminal never saw.
    let unknown = c.transaction_status("999").await.expect("status");
    assert_eq!(unknown.settled(), Settled::NeverArrived);
}

#[tokio::test]
async fn abort_busy_and_login_required() {
    let sim = sim(&[], None).await;
    let c = client(&sim);
    c.abort(&Category::Payment, "501")
        .await
        .expect("abort acknowledged");

    let sim = sim_with(&["terminal.busy"]).await;
    let c = client(&sim);
    let pay = c.payment("601", &spec("T-601")).await.expect("answer");
    assert_eq!(
        (pay.state, pay.outcome.condition()),
        (PaymentState::Failed, Some("Busy"))
    );

    let sim = sim_with(&["terminal.ecr_not_registered"]).await;
    let c = client(&sim);
    let pay = c.payment("701", &spec("T-701")).await.expect("answer");
    assert_eq!(pay.outcome.condition(), Some("LoggedOut"));
    let login = c.login().await.expect("login");
    assert!(login.outcome.is_success());
    assert!(
        login.clock_skew_secs.is_some_and(|s| s.abs() < 60),
        "{login:?}"
    );
    let pay = c.payment("702", &spec("T-702")).await.expect("answer");
    assert_eq!(pay.state, PaymentState::Approved);
    assert!(c.logout().await.expect("logout").is_success());
    let pay = c.payment("703", &spec("T-703")).await.expect("answer");
    assert_eq!(pay.outcome.condition(), Some("LoggedOut"));
}

async fn sim_with(faults: &[&str]) -> NexoSimHandle {
    sim(faults, None).await
}

#[tokio::test]
async fn a_wrong_passphrase_or_key_version_is_one_line_naming_the_key() {
    let sim = sim(&[], None).await;
    for wrong in [
        SecurityKey::new("not-the-passphrase", KEY_ID, 1),
        SecurityKey::new(PASSPHRASE, KEY_ID, 2),
    ] {
        let version = wrong.key_version;
        let c = NexoClient::new(config(&sim.addr.to_string(), &sim.ca_path, Some(wrong)))
            .expect("client");
        let err = c.diagnosis().await.unwrap_err();
        assert!(matches!(err, NexoClientError::WrongKey { .. }), "{err:?}");
        let text = err.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(
            text.contains(&format!("'{KEY_ID}' version {version}")),
            "{text}"
        );
        assert!(!text.contains(PASSPHRASE) && !text.contains("not-the-passphrase"));
        assert_eq!(
            err.cause_id().map(|c| c.as_str()),
            Some("keys.shared_key_mismatch")
        );
    }
}

#[tokio::test]
async fn another_ca_is_a_certificate_error_naming_the_address_and_the_name() {
    let a = sim(&[], None).await;
    let b = sim(&[], None).await;
    let c = NexoClient::new(config(&a.addr.to_string(), &b.ca_path, Some(key()))).expect("client");
    let err = c.diagnosis().await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, NexoClientError::CertificateUntrusted { .. }),
        "{err:?}"
    );
    assert!(text.contains(&a.addr.to_string()), "{text}");
    assert!(text.contains(&a.common_name), "{text}");
    assert_eq!(
        err.cause_id().map(|c| c.as_str()),
        Some("network.cert_untrusted")
    );
}

#[tokio::test]
async fn a_closed_port_is_refused_naming_the_address() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    drop(listener);
    let dir = tempfile::tempdir().expect("tmp");
    let (_, ca_pem, _) = certificate("P400Plus-1.test.terminal.adyen.com", false);
    let trust = write(dir.path(), "ca.pem", &ca_pem);
    let c = NexoClient::new(config(&addr, &trust, Some(key()))).expect("client");
    let err = c.diagnosis().await.unwrap_err();
    assert!(matches!(err, NexoClientError::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains(&addr));
}

#[tokio::test]
async fn a_certificate_for_another_name_or_another_time_is_named() {
    let dir = tempfile::tempdir().expect("tmp");
    for (cn, future, want) in [
        ("localhost", false, "name"),
        ("P400Plus-1.test.terminal.adyen.com", true, "clock"),
    ] {
        let (server, ca_pem, _) = certificate(cn, future);
        let trust = write(dir.path(), &format!("{want}.pem"), &ca_pem);
        let addr = serve_tls(server).await;
        let c = NexoClient::new(config(&addr, &trust, Some(key()))).expect("client");
        let err = c.diagnosis().await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&addr) && text.contains(cn), "{text}");
        match want {
            "name" => assert!(
                matches!(err, NexoClientError::CertificateName { .. }),
                "{err:?}"
            ),
            _ => {
                assert!(matches!(err, NexoClientError::ClockSkew { .. }), "{err:?}");
                assert_eq!(err.cause_id().map(|c| c.as_str()), Some("clock.wrong"));
            }
        }
    }
    // The terminal's own certificate, trusted as it is (no CA): the handshake passes.
    let (server, _, leaf_pem) = certificate("P400Plus-2.test.terminal.adyen.com", false);
    let trust = write(dir.path(), "leaf.pem", &leaf_pem);
    let addr = serve_tls(server).await;
    let c = NexoClient::new(config(&addr, &trust, Some(key()))).expect("client");
    let err = c.diagnosis().await.unwrap_err();
    assert!(
        matches!(err, NexoClientError::Http { status: 404, .. }),
        "{err:?}"
    );
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// A server config with a leaf named `cn` (valid from next year when `future`), its CA's PEM
/// and the leaf's PEM.
fn certificate(cn: &str, future: bool) -> (rustls::ServerConfig, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.distinguished_name.push(DnType::CommonName, "test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().expect("key")).expect("ca");
    let leaf_key = KeyPair::generate().expect("key");
    let mut leaf = CertificateParams::new(vec![cn.to_owned()]).expect("params");
    leaf.distinguished_name.push(DnType::CommonName, cn);
    if future {
        let now = time::OffsetDateTime::now_utc();
        leaf.not_before = now + time::Duration::days(365);
        leaf.not_after = now + time::Duration::days(730);
    }
    let leaf = leaf.signed_by(&leaf_key, &ca).expect("leaf");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), ca.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .expect("server config");
    (server, ca.pem(), leaf.pem())
}

/// Serves TLS with `config`, answering 404 to anything.
async fn serve_tls(config: rustls::ServerConfig) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    // Read the whole request first: closing with unread bytes resets the link.
                    let mut seen = Vec::new();
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = tls.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        seen.extend_from_slice(&buf[..n]);
                        let text = String::from_utf8_lossy(&seen).to_string();
                        if let Some((head, body)) = text.split_once("\r\n\r\n") {
                            let len = head
                                .lines()
                                .find_map(|l| l.strip_prefix("Content-Length: "))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if body.len() >= len {
                                break;
                            }
                        }
                    }
                    let _ = tls
                        .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    addr
}
