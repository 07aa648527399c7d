//! What a server certificate says about itself: subject, issuer and validity period, judged
//! against the laptop's clock (a wrong clock or an expired certificate stops a whole estate:
//! docs/field-guide.md §5.2).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// The facts of an X.509 certificate a technician needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub not_before: SystemTime,
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub not_after: SystemTime,
}

/// A certificate's validity at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid { remaining: Duration },
    Expired { since: Duration },
    NotYetValid { starts_in: Duration },
}

impl CertificateInfo {
    /// Parses a DER certificate; `None` when it is not one.
    pub fn parse(der: &[u8]) -> Option<Self> {
        let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
        let validity = cert.validity();
        Some(CertificateInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            not_before: from_unix(validity.not_before.timestamp()),
            not_after: from_unix(validity.not_after.timestamp()),
        })
    }

    /// Validity at `now` (the laptop's clock).
    pub fn validity_at(&self, now: SystemTime) -> Validity {
        if now < self.not_before {
            Validity::NotYetValid {
                starts_in: self.not_before.duration_since(now).unwrap_or_default(),
            }
        } else if now > self.not_after {
            Validity::Expired {
                since: now.duration_since(self.not_after).unwrap_or_default(),
            }
        } else {
            Validity::Valid {
                remaining: self.not_after.duration_since(now).unwrap_or_default(),
            }
        }
    }
}

fn from_unix(secs: i64) -> SystemTime {
    // A certificate is device input: a date the platform's clock cannot hold (before 1601 on
    // Windows) is read as the epoch rather than a panic.
    match u64::try_from(secs) {
        Ok(s) => UNIX_EPOCH.checked_add(Duration::from_secs(s)),
        Err(_) => UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs())),
    }
    .unwrap_or(UNIX_EPOCH)
}

/// A time as `2026-03-01 12:00:00 UTC`.
pub fn format_utc(t: SystemTime) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    crate::localtime::at_offset(t, time::UtcOffset::UTC)
        .and_then(|dt| dt.format(&format).ok())
        .unwrap_or_else(|| crate::localtime::out_of_calendar(t).en.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_against_the_clock() {
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let c = CertificateInfo {
            subject: "CN=host".into(),
            issuer: "CN=ca".into(),
            not_before: start,
            not_after: start + Duration::from_secs(100),
        };
        assert_eq!(
            c.validity_at(start + Duration::from_secs(40)),
            Validity::Valid {
                remaining: Duration::from_secs(60)
            }
        );
        assert_eq!(
            c.validity_at(start + Duration::from_secs(160)),
            Validity::Expired {
                since: Duration::from_secs(60)
            }
        );
        assert!(matches!(
            c.validity_at(start - Duration::from_secs(1)),
            Validity::NotYetValid { .. }
        ));
        assert_eq!(format_utc(UNIX_EPOCH), "1970-01-01 00:00:00 UTC");
        assert_eq!(CertificateInfo::parse(&[0x30, 0x00]), None);
    }
}
