//! The serial protocols of [`StreamDecoder`]: ZVT's `DLE STX … DLE ETX CRC` framing and
//! Ingenico Concert's handshake bytes and `STX … ETX LRC` frames. Fails closed like the rest of
//! the decoder: a frame is shown only when its codec understood all of it (a good CRC or LRC,
//! a known message); anything else is hidden whole and counted.

use super::decoder::StreamDecoder;
use crate::frame::{Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::concert::fields::{currency_name, format_amount};
use crate::proto::concert::request::transaction_type_name;
use crate::proto::concert::{redact_stream, Answer, Request, Token, ETX, STX};
use crate::proto::zvt::{redact_apdu_checked, summarize_text, Apdu, SerialEvent};

impl StreamDecoder {
    pub(super) fn push_zvt_serial(&mut self, bytes: &[u8], out: &mut Vec<FrameRecord>) {
        for event in self.zvt_serial.push(bytes) {
            match event {
                SerialEvent::Ack => self.understood(out, vec![0x06], Text::same("ACK")),
                SerialEvent::Nak => self.understood(out, vec![0x15], Text::same("NAK")),
                // The record holds the APDU (redacted), as the TCP tap's do; the summary is
                // made from the redacted bytes, so it cannot show more.
                SerialEvent::Frame { apdu, raw } => match redact_apdu_checked(&apdu) {
                    Some(clean) => {
                        let summary = Apdu::decode(&clean)
                            .map(|a| summarize_text(&a, None))
                            .unwrap_or_else(|_| Text::same("ZVT APDU"));
                        self.understood(out, clean, summary);
                    }
                    None => self.hide(raw.len()),
                },
                SerialEvent::BadCrc { raw, .. } | SerialEvent::Garbage { raw } => {
                    self.hide(raw.len());
                }
            }
        }
    }

    pub(super) fn push_concert(&mut self, bytes: &[u8], out: &mut Vec<FrameRecord>) {
        for token in self.concert.push(bytes) {
            self.concert_token(token, out);
        }
    }

    fn concert_token(&mut self, token: Token, out: &mut Vec<FrameRecord>) {
        match token {
            Token::Control(c) => {
                let meaning = c.meaning();
                let summary = Text::new(
                    format!("{} {}", c.name(), meaning.zh),
                    format!("{} {}", c.name(), meaning.en),
                );
                self.understood(out, vec![c.byte()], summary);
            }
            Token::Frame {
                body,
                lrc,
                lrc_ok: true,
            } => {
                let mut frame = Vec::with_capacity(body.len() + 3);
                frame.push(STX);
                frame.extend_from_slice(&body);
                frame.extend_from_slice(&[ETX, lrc]);
                match concert_summary(&body, self.direction()) {
                    Some(summary) => self.understood(out, redact_stream(&frame), summary),
                    None => self.hide(frame.len()),
                }
            }
            Token::Frame { body, .. } => self.hide(body.len() + 3),
            Token::Cut { body_len } => self.hide(body_len + 1),
            Token::Noise(bytes) => self.hide(bytes.len()),
        }
    }

    /// The stream ended: what the serial deframers still hold is hidden.
    pub(super) fn finish_serial(&mut self) {
        if let Some(SerialEvent::Garbage { raw }) = self.zvt_serial.flush() {
            self.hide(raw.len());
        }
        for token in self.concert.finish() {
            match token {
                Token::Cut { body_len } => self.hide(body_len + 1),
                Token::Noise(bytes) => self.hide(bytes.len()),
                Token::Control(_) | Token::Frame { .. } => {}
            }
        }
    }
}

/// A Concert frame's one-line summary: a request from the cash register, an answer from the
/// terminal (the card data of the answer is never part of it). `None`: neither.
fn concert_summary(body: &[u8], direction: Direction) -> Option<Text> {
    let request = || Request::decode_body(body).ok().map(|r| request_text(&r));
    let answer = || Answer::decode_body(body).ok().map(|a| answer_text(&a));
    match direction {
        Direction::Tx => request().or_else(answer),
        Direction::Rx => answer().or_else(request),
    }
}

fn request_text(r: &Request) -> Text {
    let kind = transaction_type_name(r.transaction_type);
    let amount = format_amount(r.amount_cents);
    let currency = currency_name(&r.currency);
    Text::new(
        format!("Concert 请求：{} {amount} {currency}", kind.zh),
        format!("Concert request: {} {amount} {currency}", kind.en),
    )
}

fn answer_text(a: &Answer) -> Text {
    let meaning = a.result.meaning();
    let code = a.result.as_char().escape_default().to_string();
    let amount = format_amount(a.amount_cents);
    let currency = currency_name(&a.currency);
    Text::new(
        format!(
            "Concert 应答：结果 {code}（{}）{amount} {currency}",
            meaning.zh
        ),
        format!(
            "Concert answer: result {code} ({}) {amount} {currency}",
            meaning.en
        ),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::super::decoder::TapProtocol;
    use super::*;
    use crate::proto::zvt::encode_serial_frame;

    #[test]
    fn zvt_serial_frames_and_acks_are_read_in_pieces() {
        let mut d = StreamDecoder::new(TapProtocol::ZvtSerial, Direction::Rx);
        let mut wire = vec![0x06];
        wire.extend(encode_serial_frame(&[0x80, 0x00, 0x00]));
        let mut records = Vec::new();
        for b in &wire {
            records.extend(d.push(std::slice::from_ref(b)));
        }
        assert_eq!(records.len(), 2, "{records:?}");
        assert_eq!(records[0].raw, [0x06]);
        assert_eq!(records[1].raw, [0x80, 0x00, 0x00]);
        assert!(!records[1].error);
        assert_eq!(d.hidden_total(), 0);
    }

    #[test]
    fn a_zvt_frame_with_a_bad_crc_is_hidden() {
        let mut d = StreamDecoder::new(TapProtocol::ZvtSerial, Direction::Tx);
        let mut frame = encode_serial_frame(&[0x05, 0x01, 0x00]);
        let last = frame.len() - 1;
        frame[last] ^= 0xFF;
        let records = d.push(&frame);
        assert!(records.iter().all(|r| r.error && r.raw.is_empty()));
        assert_eq!(d.hidden_total(), frame.len() as u64);
    }

    #[test]
    fn concert_requests_answers_and_handshake_are_shown() {
        let mut tx = StreamDecoder::new(TapProtocol::Concert, Direction::Tx);
        let request = Request::card_debit(1, 1234, "978").to_frame().unwrap();
        let mut wire = vec![crate::proto::concert::ENQ];
        wire.extend(&request);
        let records = tx.push(&wire);
        assert_eq!(records.len(), 2, "{records:?}");
        assert_eq!(records[0].raw, [crate::proto::concert::ENQ]);
        assert!(records[1].summary.contains("12.34 EUR"), "{records:?}");
        assert_eq!(records[1].raw, redact_stream(&request));
        // Noise is hidden, never shown (the deframer holds it until the next control byte).
        let mut rx = StreamDecoder::new(TapProtocol::Concert, Direction::Rx);
        let mut records = rx.push(b"xyz");
        records.extend(rx.push(&[crate::proto::concert::ACK]));
        assert!(records
            .iter()
            .all(|r| r.error || r.raw == [crate::proto::concert::ACK]));
        assert_eq!(rx.hidden_total(), 3);
    }
}
