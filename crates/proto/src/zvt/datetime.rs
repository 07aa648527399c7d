//! Dates and times in ZVT fields, all BCD: `HHMMSS` (BMP 0C), `MMDD` (0D), `YYMMDD` (AA),
//! `YYYYMMDD` (TLV 1F0E) and the card expiry `YYMM` (0E).

use serde::Serialize;

use super::values::{bcd_to_u8, u8_to_bcd};

/// A time of day from BCD `HH MM SS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ZvtTime {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl ZvtTime {
    /// From 3 BCD bytes; `None` when not BCD or out of range.
    pub fn decode(bytes: &[u8]) -> Option<ZvtTime> {
        let [h, m, s] = bytes else { return None };
        let t = ZvtTime {
            hour: bcd_to_u8(*h)?,
            minute: bcd_to_u8(*m)?,
            second: bcd_to_u8(*s)?,
        };
        (t.hour < 24 && t.minute < 60 && t.second < 61).then_some(t)
    }

    pub fn encode(&self) -> [u8; 3] {
        [
            u8_to_bcd(self.hour),
            u8_to_bcd(self.minute),
            u8_to_bcd(self.second),
        ]
    }
}

impl std::fmt::Display for ZvtTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// A calendar date; `year` is absent for the `MMDD` form (BMP 0D).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ZvtDate {
    pub year: Option<u16>,
    pub month: u8,
    pub day: u8,
}

impl ZvtDate {
    fn checked(self) -> Option<ZvtDate> {
        ((1..=12).contains(&self.month) && (1..=31).contains(&self.day)).then_some(self)
    }

    /// BMP 0D: `MM DD`.
    pub fn decode_mmdd(bytes: &[u8]) -> Option<ZvtDate> {
        let [m, d] = bytes else { return None };
        ZvtDate {
            year: None,
            month: bcd_to_u8(*m)?,
            day: bcd_to_u8(*d)?,
        }
        .checked()
    }

    /// BMP AA: `YY MM DD` (years 2000–2099).
    pub fn decode_yymmdd(bytes: &[u8]) -> Option<ZvtDate> {
        let [y, m, d] = bytes else { return None };
        ZvtDate {
            year: Some(2000 + u16::from(bcd_to_u8(*y)?)),
            month: bcd_to_u8(*m)?,
            day: bcd_to_u8(*d)?,
        }
        .checked()
    }

    /// TLV 1F0E: `YYYY MM DD` in 4 BCD bytes.
    pub fn decode_yyyymmdd(bytes: &[u8]) -> Option<ZvtDate> {
        let [y1, y2, m, d] = bytes else { return None };
        let year = u16::from(bcd_to_u8(*y1)?) * 100 + u16::from(bcd_to_u8(*y2)?);
        ZvtDate {
            year: Some(year),
            month: bcd_to_u8(*m)?,
            day: bcd_to_u8(*d)?,
        }
        .checked()
    }

    pub fn encode_mmdd(&self) -> [u8; 2] {
        [u8_to_bcd(self.month), u8_to_bcd(self.day)]
    }

    /// `YY MM DD`; a missing year is written as `00`.
    pub fn encode_yymmdd(&self) -> [u8; 3] {
        let yy = (self.year.unwrap_or(2000) % 100) as u8;
        [u8_to_bcd(yy), u8_to_bcd(self.month), u8_to_bcd(self.day)]
    }

    pub fn encode_yyyymmdd(&self) -> [u8; 4] {
        let year = self.year.unwrap_or(2000) % 10_000;
        [
            u8_to_bcd((year / 100) as u8),
            u8_to_bcd((year % 100) as u8),
            u8_to_bcd(self.month),
            u8_to_bcd(self.day),
        ]
    }
}

impl std::fmt::Display for ZvtDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

/// A date and a time, e.g. the terminal clock from TLV 34 { 1F0E, 1F0F }.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ZvtDateTime {
    pub date: ZvtDate,
    pub time: ZvtTime,
}

impl ZvtDateTime {
    /// As a `time` value, for comparing against the laptop clock. `None` without a year or for
    /// an impossible date (31 February).
    pub fn to_primitive(&self) -> Option<time::PrimitiveDateTime> {
        let month = time::Month::try_from(self.date.month).ok()?;
        let date = time::Date::from_calendar_date(i32::from(self.date.year?), month, self.date.day)
            .ok()?;
        let t = time::Time::from_hms(self.time.hour, self.time.minute, self.time.second.min(59))
            .ok()?;
        Some(time::PrimitiveDateTime::new(date, t))
    }
}

impl std::fmt::Display for ZvtDateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.date, self.time)
    }
}

/// Card expiry (BMP 0E, `YY MM`) shown as `MM/YY`.
pub fn format_expiry(bytes: &[u8]) -> Option<String> {
    let [y, m] = bytes else { return None };
    Some(format!("{:02}/{:02}", bcd_to_u8(*m)?, bcd_to_u8(*y)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(
            ZvtTime::decode(&[0x22, 0x55, 0x58]).unwrap().to_string(),
            "22:55:58"
        );
        let d = ZvtDate::decode_yyyymmdd(&[0x20, 0x23, 0x04, 0x05]).unwrap();
        assert_eq!(d.to_string(), "2023-04-05");
        assert_eq!(d.encode_yyyymmdd(), [0x20, 0x23, 0x04, 0x05]);
        assert_eq!(ZvtDate::decode_mmdd(&[0x13, 0x01]), None);
        assert_eq!(format_expiry(&[0x24, 0x05]).as_deref(), Some("05/24"));
    }
}
