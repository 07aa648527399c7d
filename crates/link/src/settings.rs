//! Serial line settings: what a profile says (`baud = 9600`, `parity = "none"`, …), the short
//! form technicians type and read ("9600 8N2", "115200,8N1"), and the candidates the baud scan
//! tries (docs/field-guide.md §1.5).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{LinkError, SettingsProblem};

/// Everything needed to open a serial port the way the device expects.
///
/// In a profile (TOML) unknown keys are errors; everything but `baud` has a default:
///
/// ```toml
/// port = "/dev/ttyUSB0"      # optional in a profile: may come from --serial
/// baud = 9600
/// data_bits = 8              # 5 | 6 | 7 | 8
/// parity = "none"            # "none" | "even" | "odd"
/// stop_bits = 2              # 1 | 2
/// flow_control = "none"      # "none" | "software" | "hardware"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SerialSettings {
    /// Port name: `/dev/ttyUSB0`, `/dev/cu.usbserial-1420`, `COM3`. Empty when the port is
    /// chosen at connect time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub port: String,
    pub baud: u32,
    #[serde(default)]
    pub data_bits: DataBits,
    #[serde(default)]
    pub parity: Parity,
    #[serde(default)]
    pub stop_bits: StopBits,
    #[serde(default)]
    pub flow_control: FlowControl,
}

/// Bits per character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum DataBits {
    Five,
    Six,
    Seven,
    #[default]
    Eight,
}

/// Parity bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Parity {
    #[default]
    None,
    Even,
    Odd,
}

/// Stop bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum StopBits {
    #[default]
    One,
    Two,
}

/// Flow control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowControl {
    #[default]
    None,
    /// XON/XOFF.
    Software,
    /// RTS/CTS.
    Hardware,
}

/// Data bits, parity and stop bits together, written "8N1", "8N2", "7E1".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Framing {
    pub data_bits: DataBits,
    pub parity: Parity,
    pub stop_bits: StopBits,
}

/// Baud rates the autodetection tries, slowest first (docs/field-guide.md §1.5).
pub const AUTODETECT_BAUDS: [u32; 5] = [9600, 19200, 38400, 57600, 115200];

/// Framings the autodetection tries: 8N1 (most devices), 8N2 (ZVT), 7E1.
pub const AUTODETECT_FRAMINGS: [Framing; 3] = [Framing::F8N1, Framing::F8N2, Framing::F7E1];

impl DataBits {
    pub fn bits(self) -> u8 {
        match self {
            DataBits::Five => 5,
            DataBits::Six => 6,
            DataBits::Seven => 7,
            DataBits::Eight => 8,
        }
    }
}

impl TryFrom<u8> for DataBits {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        match n {
            5 => Ok(DataBits::Five),
            6 => Ok(DataBits::Six),
            7 => Ok(DataBits::Seven),
            8 => Ok(DataBits::Eight),
            other => Err(format!("data_bits = {other}: use 5, 6, 7 or 8")),
        }
    }
}

impl From<DataBits> for u8 {
    fn from(d: DataBits) -> u8 {
        d.bits()
    }
}

impl Parity {
    /// The letter of the short form: N, E, O.
    pub fn letter(self) -> char {
        match self {
            Parity::None => 'N',
            Parity::Even => 'E',
            Parity::Odd => 'O',
        }
    }

    fn from_letter(c: char) -> Option<Self> {
        match c.to_ascii_uppercase() {
            'N' => Some(Parity::None),
            'E' => Some(Parity::Even),
            'O' => Some(Parity::Odd),
            _ => None,
        }
    }
}

impl StopBits {
    pub fn bits(self) -> u8 {
        match self {
            StopBits::One => 1,
            StopBits::Two => 2,
        }
    }
}

impl TryFrom<u8> for StopBits {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        match n {
            1 => Ok(StopBits::One),
            2 => Ok(StopBits::Two),
            other => Err(format!("stop_bits = {other}: use 1 or 2")),
        }
    }
}

impl From<StopBits> for u8 {
    fn from(s: StopBits) -> u8 {
        s.bits()
    }
}

impl FlowControl {
    /// The word of the short form; `None` for no flow control (it is not written).
    pub fn short(self) -> Option<&'static str> {
        match self {
            FlowControl::None => None,
            FlowControl::Software => Some("xonxoff"),
            FlowControl::Hardware => Some("rtscts"),
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        match word.to_ascii_lowercase().as_str() {
            "none" | "noflow" => Some(FlowControl::None),
            "xonxoff" | "xon/xoff" | "software" | "sw" => Some(FlowControl::Software),
            "rtscts" | "rts/cts" | "hardware" | "hw" => Some(FlowControl::Hardware),
            _ => None,
        }
    }
}

impl Framing {
    pub const F8N1: Framing = Framing::new(DataBits::Eight, Parity::None, StopBits::One);
    pub const F8N2: Framing = Framing::new(DataBits::Eight, Parity::None, StopBits::Two);
    pub const F7E1: Framing = Framing::new(DataBits::Seven, Parity::Even, StopBits::One);

    pub const fn new(data_bits: DataBits, parity: Parity, stop_bits: StopBits) -> Self {
        Framing {
            data_bits,
            parity,
            stop_bits,
        }
    }
}

impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}",
            self.data_bits.bits(),
            self.parity.letter(),
            self.stop_bits.bits()
        )
    }
}

impl FromStr for Framing {
    type Err = SettingsProblem;

    /// "8N1", "8-N-1", "7e1".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let chars: Vec<char> = s.chars().filter(|c| *c != '-').collect();
        let [d, p, st] = chars.as_slice() else {
            return Err(SettingsProblem::Format);
        };
        let data_bits = d
            .to_digit(10)
            .and_then(|n| DataBits::try_from(n as u8).ok())
            .ok_or(SettingsProblem::DataBits)?;
        let parity = Parity::from_letter(*p).ok_or(SettingsProblem::Parity)?;
        let stop_bits = st
            .to_digit(10)
            .and_then(|n| StopBits::try_from(n as u8).ok())
            .ok_or(SettingsProblem::StopBits)?;
        Ok(Framing::new(data_bits, parity, stop_bits))
    }
}

impl SerialSettings {
    /// `baud` with 8N1 and no flow control.
    pub fn new(port: impl Into<String>, baud: u32) -> Self {
        SerialSettings {
            port: port.into(),
            baud,
            data_bits: DataBits::Eight,
            parity: Parity::None,
            stop_bits: StopBits::One,
            flow_control: FlowControl::None,
        }
    }

    /// Parses the short form for `port`: "9600 8N2", "115200,8N1", "9600,8,N,1",
    /// "9600 8N1 rtscts". A bare baud rate means 8N1.
    pub fn parse(port: impl Into<String>, short: &str) -> Result<Self, LinkError> {
        let invalid = |problem| LinkError::InvalidSettings {
            input: short.trim().to_string(),
            problem,
        };
        let mut tokens = short
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty());
        let baud_token = tokens
            .next()
            .ok_or_else(|| invalid(SettingsProblem::Format))?;
        let baud = parse_baud(baud_token).map_err(invalid)?;

        let mut flow_control = FlowControl::None;
        let mut framing_text = String::new();
        for token in tokens {
            match FlowControl::from_word(token) {
                Some(flow) => flow_control = flow,
                None => framing_text.push_str(token),
            }
        }
        let framing = if framing_text.is_empty() {
            Framing::F8N1
        } else {
            framing_text.parse::<Framing>().map_err(invalid)?
        };
        Ok(SerialSettings::new(port, baud)
            .with_framing(framing)
            .with_flow_control(flow_control))
    }

    pub fn framing(&self) -> Framing {
        Framing::new(self.data_bits, self.parity, self.stop_bits)
    }

    pub fn with_framing(mut self, framing: Framing) -> Self {
        self.data_bits = framing.data_bits;
        self.parity = framing.parity;
        self.stop_bits = framing.stop_bits;
        self
    }

    pub fn with_baud(mut self, baud: u32) -> Self {
        self.baud = baud;
        self
    }

    pub fn with_flow_control(mut self, flow_control: FlowControl) -> Self {
        self.flow_control = flow_control;
        self
    }

    /// Checks what the OS cannot be asked for: a zero or absurd baud rate.
    pub fn validate(&self) -> Result<(), LinkError> {
        if self.baud == 0 || self.baud > MAX_BAUD {
            return Err(LinkError::InvalidSettings {
                input: self.to_string(),
                problem: SettingsProblem::Baud,
            });
        }
        Ok(())
    }

    /// The autodetection candidates for `port`: every baud of [`AUTODETECT_BAUDS`] × every
    /// framing of [`AUTODETECT_FRAMINGS`], no flow control, baud-major order.
    pub fn autodetect_candidates(port: &str) -> Vec<SerialSettings> {
        AUTODETECT_BAUDS
            .iter()
            .flat_map(|&baud| {
                AUTODETECT_FRAMINGS
                    .iter()
                    .map(move |&framing| SerialSettings::new(port, baud).with_framing(framing))
            })
            .collect()
    }
}

/// Well above any UART a POS device has; catches typos like 96000000.
const MAX_BAUD: u32 = 4_000_000;

fn parse_baud(token: &str) -> Result<u32, SettingsProblem> {
    match token.parse::<u32>() {
        Ok(baud) if baud > 0 && baud <= MAX_BAUD => Ok(baud),
        _ => Err(SettingsProblem::Baud),
    }
}

/// The short form without the port: "9600 8N2", "115200 8N1 rtscts".
impl fmt::Display for SerialSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.baud, self.framing())?;
        if let Some(flow) = self.flow_control.short() {
            write!(f, " {flow}")?;
        }
        Ok(())
    }
}

/// Our setting enums mirror serialport's one to one; this writes both `From`s of each pair.
macro_rules! mirror_enum {
    ($ours:ident <=> $theirs:path { $($variant:ident),+ $(,)? }) => {
        impl From<$ours> for $theirs {
            fn from(v: $ours) -> Self {
                use $theirs as Theirs;
                match v {
                    $($ours::$variant => Theirs::$variant,)+
                }
            }
        }

        impl From<$theirs> for $ours {
            fn from(v: $theirs) -> Self {
                use $theirs as Theirs;
                match v {
                    $(Theirs::$variant => $ours::$variant,)+
                }
            }
        }
    };
}

mirror_enum!(DataBits <=> tokio_serial::DataBits { Five, Six, Seven, Eight });
mirror_enum!(Parity <=> tokio_serial::Parity { None, Even, Odd });
mirror_enum!(StopBits <=> tokio_serial::StopBits { One, Two });
mirror_enum!(FlowControl <=> tokio_serial::FlowControl { None, Software, Hardware });

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
