//! Hex text ⇄ bytes for the command line (`10 00 03 00`, `0x12,0x16`, `12:16`).

use super::error::EscPosDecodeError;

/// Reads hex bytes; groups may be separated by spaces, `,`, `:` or `-` and start with `0x`.
/// Positions in errors are 0-based character offsets.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, EscPosDecodeError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut high: Option<(usize, u32)> = None;
    let mut i = 0usize;
    let odd = |position| EscPosDecodeError::InvalidHex {
        position,
        reason: "odd number of hex digits in a group".to_owned(),
    };
    while let Some(&c) = chars.get(i) {
        let group_start = i == 0
            || chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| is_separator(*p));
        if is_separator(c) {
            if let Some((pos, _)) = high {
                return Err(odd(pos));
            }
        } else if c == '0' && group_start && matches!(chars.get(i + 1), Some('x' | 'X')) {
            i = i.saturating_add(1);
        } else if let Some(d) = c.to_digit(16) {
            match high.take() {
                Some((_, h)) => out.push(((h << 4) | d) as u8),
                None => high = Some((i, d)),
            }
        } else {
            return Err(EscPosDecodeError::InvalidHex {
                position: i,
                reason: format!("'{c}' is not a hex digit"),
            });
        }
        i = i.saturating_add(1);
    }
    if let Some((pos, _)) = high {
        return Err(odd(pos));
    }
    Ok(out)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | '-' | ';')
}

pub(crate) fn hex_spaced(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_prefixes() {
        assert_eq!(parse_hex("10 00 03 00").unwrap(), vec![0x10, 0, 3, 0]);
        assert_eq!(parse_hex("0x12,0x16").unwrap(), vec![0x12, 0x16]);
        assert_eq!(parse_hex("1a1E:7e").unwrap(), vec![0x1A, 0x1E, 0x7E]);
        assert_eq!(parse_hex("").unwrap(), Vec::<u8>::new());
        assert_eq!(hex_spaced(&[0x10, 0x0A]), "10 0A");
    }

    #[test]
    fn errors_name_the_position() {
        assert!(matches!(
            parse_hex("12 g3"),
            Err(EscPosDecodeError::InvalidHex { position: 3, .. })
        ));
        assert!(matches!(
            parse_hex("12 3 45"),
            Err(EscPosDecodeError::InvalidHex { position: 3, .. })
        ));
    }
}
