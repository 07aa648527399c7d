//! Concert's line discipline: single control bytes for the handshake (ENQ, ACK, NAK, EOT) and
//! frames `STX body ETX LRC`, where LRC is the XOR of every byte after STX up to and including
//! ETX. A stream of bytes from either side is cut into [`Token`]s by the [`Deframer`].

use serde::Serialize;

use crate::i18n::Text;
use crate::tr;

pub const STX: u8 = 0x02;
pub const ETX: u8 = 0x03;
pub const EOT: u8 = 0x04;
pub const ENQ: u8 = 0x05;
pub const ACK: u8 = 0x06;
pub const NAK: u8 = 0x15;

/// The longest body a frame may carry before the deframer gives up on it. The E+ request is
/// 34 bytes and the full answer 80; later Concert versions allow up to 512 characters.
pub const MAX_BODY: usize = 512;

/// A handshake byte outside a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// "I have something to send": opens a session (either side).
    Enq,
    /// Ready / received correctly.
    Ack,
    /// Received with an error (bad LRC): send it again.
    Nak,
    /// End of the session.
    Eot,
}

impl Control {
    pub fn from_byte(b: u8) -> Option<Control> {
        match b {
            ENQ => Some(Control::Enq),
            ACK => Some(Control::Ack),
            NAK => Some(Control::Nak),
            EOT => Some(Control::Eot),
            _ => None,
        }
    }

    pub fn byte(self) -> u8 {
        match self {
            Control::Enq => ENQ,
            Control::Ack => ACK,
            Control::Nak => NAK,
            Control::Eot => EOT,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Control::Enq => "ENQ",
            Control::Ack => "ACK",
            Control::Nak => "NAK",
            Control::Eot => "EOT",
        }
    }

    pub fn meaning(self) -> Text {
        match self {
            Control::Enq => Text::fixed("请求开始会话", "asks to open a session"),
            Control::Ack => Text::fixed("就绪 / 已正确收到", "ready / received correctly"),
            Control::Nak => Text::fixed(
                "收到的数据有误（LRC 错误），请重发",
                "received with an error (bad LRC): send again",
            ),
            Control::Eot => Text::fixed("会话结束", "end of the session"),
        }
    }
}

/// XOR of all bytes: Concert's longitudinal redundancy check.
pub fn lrc(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, b| acc ^ b)
}

/// `STX body ETX LRC`.
pub fn encode_frame(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 3);
    out.push(STX);
    out.extend_from_slice(body);
    out.push(ETX);
    out.push(lrc(body) ^ ETX);
    out
}

/// Why bytes are not one good frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("no bytes")]
    Empty,
    #[error("a Concert frame starts with STX (02), not {0:02X}")]
    NoStx(u8),
    #[error("no ETX (03) after {len} bytes: the frame is cut short")]
    NoEtx { len: usize },
    #[error("no LRC byte after ETX: the frame is cut short")]
    NoLrc,
    #[error("LRC is {got:02X} but the bytes give {expected:02X}: a byte changed on the line (wrong parity or baud rate?)")]
    Lrc { got: u8, expected: u8 },
    #[error("{extra} bytes after the LRC")]
    Trailing { extra: usize },
}

impl FrameError {
    pub fn text(&self) -> Text {
        match self {
            FrameError::Empty => Text::fixed("没有数据", "no bytes"),
            FrameError::NoStx(b) => tr!(
                "Concert 帧应以 STX (02) 开头，实际为 {b:02X}",
                "a Concert frame starts with STX (02), not {b:02X}"
            ),
            FrameError::NoEtx { len } => tr!(
                "{len} 字节后仍无 ETX (03)：帧不完整",
                "no ETX (03) after {len} bytes: the frame is cut short"
            ),
            FrameError::NoLrc => Text::fixed(
                "ETX 之后缺少 LRC 字节：帧不完整",
                "no LRC byte after ETX: the frame is cut short",
            ),
            FrameError::Lrc { got, expected } => tr!(
                "LRC 为 {got:02X}，按数据应为 {expected:02X}：线路上有字节出错（校验位或波特率设置错误？）",
                "LRC is {got:02X} but the bytes give {expected:02X}: a byte changed on the line (wrong parity or baud rate?)"
            ),
            FrameError::Trailing { extra } => {
                tr!("LRC 之后多出 {extra} 字节", "{extra} bytes after the LRC")
            }
        }
    }
}

/// Checks one whole frame and returns its body (between STX and ETX).
pub fn decode_frame(bytes: &[u8]) -> Result<&[u8], FrameError> {
    let (&first, rest) = bytes.split_first().ok_or(FrameError::Empty)?;
    if first != STX {
        return Err(FrameError::NoStx(first));
    }
    let etx = rest
        .iter()
        .position(|&b| b == ETX)
        .ok_or(FrameError::NoEtx { len: bytes.len() })?;
    let (body, tail) = rest.split_at(etx);
    // tail = ETX LRC [extra…]
    let after_etx = tail.get(1..).unwrap_or(&[]);
    let (&got, extra) = after_etx.split_first().ok_or(FrameError::NoLrc)?;
    let expected = lrc(body) ^ ETX;
    if got != expected {
        return Err(FrameError::Lrc { got, expected });
    }
    if !extra.is_empty() {
        return Err(FrameError::Trailing { extra: extra.len() });
    }
    Ok(body)
}

/// One piece of a Concert byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Control(Control),
    /// A complete frame; `lrc_ok` false when the check byte does not match.
    Frame {
        body: Vec<u8>,
        lrc: u8,
        lrc_ok: bool,
    },
    /// A frame that never ended (the stream stopped, or it grew past [`MAX_BODY`]).
    Cut {
        body_len: usize,
    },
    /// Bytes outside a frame that are no control byte (noise, a wrong baud rate, another
    /// protocol). Kept as bytes: they can be shown in hex but were not understood.
    Noise(Vec<u8>),
}

#[derive(Debug, Clone, Default)]
enum State {
    #[default]
    Idle,
    Body(Vec<u8>),
    Lrc(Vec<u8>),
}

/// Cuts a byte stream into tokens as it arrives, in pieces of any size.
#[derive(Debug, Clone, Default)]
pub struct Deframer {
    state: State,
    noise: Vec<u8>,
}

impl Deframer {
    pub fn new() -> Self {
        Self::default()
    }

    /// True when no frame is half read.
    pub fn is_idle(&self) -> bool {
        matches!(self.state, State::Idle)
    }

    /// Feeds bytes; returns the tokens they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Token> {
        let mut out = Vec::new();
        for &b in bytes {
            self.push_byte(b, &mut out);
        }
        out
    }

    /// The stream ended: whatever is pending becomes a token.
    pub fn finish(&mut self) -> Vec<Token> {
        let mut out = Vec::new();
        self.flush_noise(&mut out);
        match std::mem::take(&mut self.state) {
            State::Idle => {}
            State::Body(body) | State::Lrc(body) => out.push(Token::Cut {
                body_len: body.len(),
            }),
        }
        out
    }

    fn flush_noise(&mut self, out: &mut Vec<Token>) {
        if !self.noise.is_empty() {
            out.push(Token::Noise(std::mem::take(&mut self.noise)));
        }
    }

    fn push_byte(&mut self, b: u8, out: &mut Vec<Token>) {
        match std::mem::take(&mut self.state) {
            State::Idle => {
                if b == STX {
                    self.flush_noise(out);
                    self.state = State::Body(Vec::new());
                } else if let Some(c) = Control::from_byte(b) {
                    self.flush_noise(out);
                    out.push(Token::Control(c));
                } else {
                    self.noise.push(b);
                }
            }
            State::Body(mut body) => {
                if b == ETX {
                    self.state = State::Lrc(body);
                } else if body.len() >= MAX_BODY {
                    out.push(Token::Cut {
                        body_len: body.len(),
                    });
                } else {
                    body.push(b);
                    self.state = State::Body(body);
                }
            }
            State::Lrc(body) => {
                let lrc_ok = lrc(&body) ^ ETX == b;
                out.push(Token::Frame {
                    body,
                    lrc: b,
                    lrc_ok,
                });
            }
        }
    }
}

/// All tokens of a finished stream.
pub fn tokenize(bytes: &[u8]) -> Vec<Token> {
    let mut d = Deframer::new();
    let mut out = d.push(bytes);
    out.extend(d.finish());
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn lrc_covers_body_and_etx() {
        // pyTeliumManager 2.4.2: TeliumData.framing("01000012501109780...") — see request.rs.
        let frame = encode_frame(b"AB");
        assert_eq!(frame, [STX, b'A', b'B', ETX, b'A' ^ b'B' ^ ETX]);
        assert_eq!(decode_frame(&frame).unwrap(), b"AB");
    }

    #[test]
    fn broken_frames_say_why() {
        assert_eq!(decode_frame(&[]), Err(FrameError::Empty));
        assert_eq!(decode_frame(&[0x41]), Err(FrameError::NoStx(0x41)));
        assert_eq!(
            decode_frame(&[STX, 1, 2]),
            Err(FrameError::NoEtx { len: 3 })
        );
        assert_eq!(decode_frame(&[STX, 1, ETX]), Err(FrameError::NoLrc));
        assert_eq!(
            decode_frame(&[STX, 1, ETX, 0]),
            Err(FrameError::Lrc {
                got: 0,
                expected: 1 ^ ETX
            })
        );
        assert_eq!(
            decode_frame(&[STX, 1, ETX, 1 ^ ETX, 9]),
            Err(FrameError::Trailing { extra: 1 })
        );
    }

    #[test]
    fn stream_in_pieces_gives_the_same_tokens() {
        let mut stream = vec![ENQ, 0x7F];
        stream.extend(encode_frame(b"hello"));
        stream.extend([ACK, EOT, STX, b'x']);
        let whole = tokenize(&stream);
        assert_eq!(
            whole,
            vec![
                Token::Control(Control::Enq),
                Token::Noise(vec![0x7F]),
                Token::Frame {
                    body: b"hello".to_vec(),
                    lrc: lrc(b"hello") ^ ETX,
                    lrc_ok: true
                },
                Token::Control(Control::Ack),
                Token::Control(Control::Eot),
                Token::Cut { body_len: 1 },
            ]
        );
        let mut d = Deframer::new();
        let mut pieces = Vec::new();
        for chunk in stream.chunks(3) {
            pieces.extend(d.push(chunk));
        }
        pieces.extend(d.finish());
        assert_eq!(pieces, whole);
    }
}
