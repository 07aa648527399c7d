//! Privacy against hostile and broken input (the seven cases found by probing): decode and tap
//! output (text, JSON, stdout, capture) never show more of a card than BIN + last 4, nor a
//! password, whatever the bytes; the tap forwards everything unchanged with its stdout never
//! read; garbage makes a bounded capture that says what it skipped.
//!
//! The oracle: no 8-digit window of the planted PAN (every such window holds middle digits)
//! appears in any output, as digits or as hex of its BCD form, in either nibble alignment.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use posdiag::proto::iso8583::{Dialect, FieldValue, LengthPrefix, Message, Mti};

use crate::support::posdiag;

const PAN: &str = "4761739001010010";

/// Panics when `text` shows any 8-digit window of `pan`, or its nibble-swapped BCD.
fn assert_no_pan(name: &str, text: &str, pan: &str) {
    let lower = text.to_lowercase();
    let swapped: String = pan
        .as_bytes()
        .chunks(2)
        .flat_map(|p| p.iter().rev().map(|&b| char::from(b)))
        .collect();
    for digits in [pan, swapped.as_str()] {
        for start in 0..=digits.len().saturating_sub(8) {
            let window = &digits[start..start + 8];
            assert!(
                !lower.contains(window),
                "{name}: shows card digits {window}:\n{text}"
            );
        }
    }
}

fn decode_outputs(protocol: &str, hex: &str) -> Vec<(String, String)> {
    ["text", "json"]
        .iter()
        .map(|format| {
            let out = posdiag()
                .args(["decode", protocol, hex, "--format", format])
                .output()
                .expect("run");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            (format!("decode {protocol} {format}"), text)
        })
        .collect()
}

fn bcd(digits: &str) -> Vec<u8> {
    hex::decode(digits).expect("even digits")
}

fn sale(pan: &str, with_track2: bool) -> Message {
    let mut m = Message::new(Mti::new("0200").expect("mti"))
        .with(2, FieldValue::Digits(pan.into()))
        .with(3, FieldValue::Digits("000000".into()))
        .with(4, FieldValue::Digits("000000001234".into()))
        .with(11, FieldValue::Digits("000123".into()))
        .with(22, FieldValue::Digits("051".into()))
        .with(25, FieldValue::Digits("00".into()))
        .with(41, FieldValue::Text("00000001".into()))
        .with(42, FieldValue::Text("000000000000001".into()))
        .with(49, FieldValue::Text("156".into()));
    if with_track2 {
        m = m.with(35, FieldValue::Digits(format!("{pan}=29122011234567890")));
    }
    m
}

// 1. Field 55: a template (70) whose child 5A is the PAN.
#[test]
fn field_55_template_lines_do_not_show_the_pan_inside() {
    let mut icc = vec![0x70, 0x0A, 0x5A, 0x08];
    icc.extend(bcd(PAN));
    icc.extend([0x9F, 0x02, 0x06, 0, 0, 0, 0, 0x12, 0x34]);
    let m = Message::new(Mti::new("0200").expect("mti"))
        .with(3, FieldValue::Digits("000000".into()))
        .with(55, FieldValue::Binary(icc));
    let frame = m.encode(&Dialect::cup()).expect("encode");
    for (name, text) in decode_outputs("iso8583", &hex::encode(frame)) {
        assert!(text.contains("476173"), "{name}: the BIN is shown:\n{text}");
        assert_no_pan(&name, &text, PAN);
    }
}

// 2. ZVT print text: a PAN printed in groups, and a non-Luhn 19-digit number.
#[test]
fn zvt_print_text_masks_grouped_and_non_luhn_card_numbers() {
    let line = b"CARD 4761 7390 0101 0010";
    let mut d1 = vec![0x06, 0xD1, (line.len() + 1) as u8, 0x00];
    d1.extend_from_slice(line);
    let non_luhn = "6222021234567890123";
    let text = format!("PAN {non_luhn}");
    // 06 D3: BMP 06 { 25 { 07 text } }
    let mut inner = vec![0x07, text.len() as u8];
    inner.extend_from_slice(text.as_bytes());
    let mut outer = vec![0x25, inner.len() as u8];
    outer.extend(inner);
    let mut d3 = vec![0x06, 0xD3, (outer.len() + 2) as u8, 0x06, outer.len() as u8];
    d3.extend(outer);
    for (name, text) in decode_outputs("zvt", &hex::encode(&d1)) {
        assert_no_pan(&name, &text, PAN);
    }
    for (name, text) in decode_outputs("zvt", &hex::encode(&d3)) {
        assert_no_pan(&name, &text, non_luhn);
    }
    // And through the tap, to stdout and the capture.
    let mut stream = d1.clone();
    stream.extend(&d3);
    let seen = through_tap("zvt", &[], &[stream], false);
    assert_no_pan("tap", &seen.all(), PAN);
    assert_no_pan("tap", &seen.all(), non_luhn);
}

// 3. ZVT tap: a wrong length byte puts the stream out of step before a 04 0F with BMP 22.
#[test]
fn zvt_tap_out_of_step_hides_instead_of_showing_the_next_pan() {
    let mut status = vec![0x04, 0x0F, 0x0B, 0x22, 0xF0, 0xF8];
    status.extend(bcd(PAN));
    for prefix in [vec![0x80, 0x00, 0x06], vec![0x06], vec![0x84]] {
        let mut stream = prefix.clone();
        stream.extend(&status);
        let seen = through_tap("zvt", &[], &[stream.clone()], false);
        assert_no_pan(&format!("tap after {prefix:02X?}"), &seen.all(), PAN);
        assert_eq!(seen.upstream_got, stream, "forwarded unchanged");
    }
}

// 4. ISO 8583 tap: a broken length before two sales; ASCII length prefixes; no prefix.
#[test]
fn iso_tap_out_of_step_and_other_framings_never_show_card_data() {
    let cup = Dialect::cup();
    let one = sale(PAN, true).encode(&cup).expect("encode");
    let mut stream = vec![0x00, 0xC3, 0x40];
    stream.extend(&one);
    stream.extend(&one);
    let seen = through_tap("iso8583", &[], &[stream.clone()], false);
    assert_no_pan("tap, broken length", &seen.all(), PAN);
    assert!(!seen.all().contains("2912201"), "track 2 tail");
    assert_eq!(seen.upstream_got, stream);
    assert!(
        seen.all().contains("not understood, hidden"),
        "says what it hid"
    );

    for (prefix, name) in [
        (LengthPrefix::Ascii4, "ascii4"),
        (LengthPrefix::None, "none"),
    ] {
        let mut d = cup.clone();
        d.length_prefix = prefix;
        let frame = sale(PAN, true).encode(&d).expect("encode");
        let dir = tempfile::tempdir().expect("tmp");
        let profile = dir.path().join(format!("{name}.toml"));
        std::fs::write(
            &profile,
            format!(
                "name = \"{name}\"\ndescription = {{ zh = \"测试\", en = \"test\" }}\n\
                 [host]\ntcp = \"127.0.0.1:5000\"\ntid = \"00000001\"\nmid = \"000000000000001\"\n[host.dialect]\nlength_prefix = \"{}\"\n",
                match prefix {
                    LengthPrefix::Ascii4 => "ascii4",
                    _ => "none",
                }
            ),
        )
        .expect("profile");
        // Without the profile: the default framing cannot read it, and says so.
        let seen = through_tap("iso8583", &[], std::slice::from_ref(&frame), false);
        assert_no_pan(&format!("{name} without profile"), &seen.all(), PAN);
        assert!(!seen.all().contains("2912201"), "{name}: track 2 tail");
        // With it: framed and decoded, masked.
        let args = ["--profile".to_owned(), profile.display().to_string()];
        let seen = through_tap("iso8583", &args, std::slice::from_ref(&frame), false);
        assert_no_pan(&format!("{name} with profile"), &seen.all(), PAN);
        assert!(!seen.all().contains("2912201"), "{name}: track 2 tail");
        assert!(
            seen.stdout.contains("0200"),
            "{name}: the sale is decoded with the profile's framing:\n{}",
            seen.stdout
        );
    }
}

// 5. A real Feig 08 13 (Change Host Configuration) carrying password 123456.
#[test]
fn feig_host_configuration_never_shows_the_password() {
    let hex = "0813140612e410ff4003123456ff4107d5b7136976c101";
    for (name, text) in decode_outputs("zvt", hex) {
        for digits in ["123456", "1234", "3456", "2345"] {
            assert!(
                !text.contains(digits),
                "{name}: password digits {digits}:\n{text}"
            );
        }
    }
    let seen = through_tap("zvt", &[], &[hex::decode(hex).expect("hex")], false);
    for digits in ["123456", "1234", "3456", "2345"] {
        assert!(
            !seen.all().contains(digits),
            "tap: password digits {digits}"
        );
    }
}

// 6. A stdout nobody reads does not stop forwarding, for this client or the next.
#[test]
fn tap_forwards_everything_with_its_stdout_never_read() {
    let payload: Vec<u8> = {
        let one = sale(PAN, false).encode(&Dialect::cup()).expect("encode");
        one.iter()
            .copied()
            .cycle()
            .take(900_000 / one.len() * one.len())
            .collect()
    };
    let seen = through_tap("iso8583", &[], &[payload.clone(), payload.clone()], true);
    assert_eq!(
        seen.upstream_got.len(),
        payload.len() * 2,
        "every byte forwarded"
    );
    assert!(
        seen.upstream_got == [payload.clone(), payload].concat(),
        "unchanged"
    );
}

// 7. 1 MiB of zeros, and a frame as long as the prefix allows.
#[test]
fn garbage_makes_a_bounded_capture_that_says_what_it_skipped() {
    let zeros = vec![0u8; 1024 * 1024];
    let seen = through_tap("iso8583", &[], std::slice::from_ref(&zeros), false);
    assert_eq!(seen.upstream_got, zeros);
    assert!(
        seen.capture_records < 100,
        "{} records for 1 MiB of garbage",
        seen.capture_records
    );
    assert!(seen.capture.contains("not understood, hidden"));
    assert!(
        seen.capture.len() < 200_000,
        "capture {} bytes",
        seen.capture.len()
    );

    let mut big = vec![0xFF, 0xFF];
    big.extend(std::iter::repeat_n(0x30, 0xFFFF));
    let seen = through_tap("iso8583", &[], &[big.clone()], false);
    assert_eq!(seen.upstream_got, big);
    assert!(
        seen.capture_records <= 3,
        "a 65,535-byte frame is one frame, not {} records",
        seen.capture_records
    );
}

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What a tap run left: its stdout, its capture, and what the upstream received.
struct Seen {
    stdout: String,
    capture: String,
    capture_records: usize,
    upstream_got: Vec<u8>,
}

impl Seen {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.capture)
    }
}

/// Runs `posdiag tap --format jsonl` between a client that sends each of `sends` on its own
/// connection and an upstream that records what arrives. With `stall_stdout` nobody reads the
/// tap's stdout until the end.
fn through_tap(protocol: &str, extra: &[String], sends: &[Vec<u8>], stall_stdout: bool) -> Seen {
    let upstream = TcpListener::bind("127.0.0.1:0").expect("bind");
    let upstream_port = upstream.local_addr().expect("addr").port();
    let tap_port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let dir = tempfile::tempdir().expect("tmp");
    let capture = dir.path().join("tap.jsonl");
    let mut tap = Kill(
        StdCommand::new(env!("CARGO_BIN_EXE_posdiag"))
            .args(["tap", "--protocol", protocol, "--format", "jsonl"])
            .args(["--listen", &format!("127.0.0.1:{tap_port}")])
            .args(["--upstream", &format!("127.0.0.1:{upstream_port}")])
            .args(extra)
            .arg("--capture")
            .arg(&capture)
            .arg("--log-file")
            .arg(dir.path().join("tap.log"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tap"),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", tap_port)).is_err() {
        assert!(Instant::now() < deadline, "tap never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The probe connection above reached the upstream too: accept and drop it.
    let (probe, _) = upstream.accept().expect("probe");
    drop(probe);
    // A reader that keeps the stdout pipe from filling unless we want it stalled.
    let stdout = tap.0.stdout.take().expect("stdout");
    let (release, released) = std::sync::mpsc::channel::<()>();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let mut stdout = stdout;
        if stall_stdout {
            // Nobody reads until every client is done: a tap that waits for its stdout
            // would never finish forwarding.
            let _ = released.recv();
        }
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let mut got = Vec::new();
    for bytes in sends {
        let mut client = TcpStream::connect(("127.0.0.1", tap_port)).expect("client");
        let (mut up, _) = upstream.accept().expect("upstream accept");
        up.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let to_send = bytes.clone();
        let writer = std::thread::spawn(move || {
            client.write_all(&to_send).expect("client write");
            client
                .shutdown(std::net::Shutdown::Write)
                .expect("shutdown");
            client
        });
        let mut buf = Vec::new();
        let _ = up.read_to_end(&mut buf);
        let _client = writer.join().expect("writer");
        assert_eq!(buf.len(), bytes.len(), "all bytes of this client forwarded");
        got.extend(buf);
    }
    let _ = release.send(());
    // Let the decoder and the capture catch up, then stop the tap (SIGINT ends it cleanly).
    std::thread::sleep(Duration::from_millis(500));
    #[cfg(unix)]
    unsafe {
        libc::kill(tap.0.id() as i32, libc::SIGINT);
    }
    let _ = tap.0.wait();
    let stdout = reader.join().expect("reader");
    let capture = std::fs::read_to_string(&capture).unwrap_or_default();
    Seen {
        capture_records: capture.lines().filter(|l| l.contains("\"raw\"")).count(),
        stdout,
        capture,
        upstream_got: got,
    }
}

#[test]
fn concert_decode_never_shows_more_than_bin_and_last_four() {
    let frame = |body: &str| hex::encode(posdiag::proto::concert::encode_frame(body.as_bytes()));
    let answer = |rep: String| frame(&format!("010000012501{rep:<55}9780000000001"));
    let mut bad_lrc = posdiag::proto::concert::encode_frame(
        format!("010000012501{:<55}9780000000001", format!("{PAN} 2512")).as_bytes(),
    );
    if let Some(last) = bad_lrc.last_mut() {
        *last ^= 0x55;
    }
    let cases = [
        answer(format!("{PAN} 2512")),
        answer(format!("{PAN}=2512101123")),
        answer(format!("  {PAN} 2512")),
        answer(format!("A{PAN}")),
        hex::encode(&bad_lrc),
        // A frame of a length no message has, the card number inside.
        frame(&format!("0100000125{PAN}=2512")),
        // A full answer cut short, and the number outside any frame.
        format!("02{}", hex::encode(format!("010000012501{PAN}"))),
        format!("0506{}", hex::encode(PAN)),
    ];
    for hex in cases {
        for (name, text) in decode_outputs("concert", &hex) {
            assert_no_pan(&name, &text, PAN);
        }
    }
}
