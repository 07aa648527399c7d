//! PANs printed in clear inside ZVT text (receipt lines, display texts, BMP 3C): runs of
//! 13–19 ASCII digits that pass the Luhn check keep BIN + last four only.

use crate::proto::redact::mask_ascii_pan;

/// Masks runs of 13–19 ASCII digits that pass the Luhn check (a PAN printed in clear).
pub fn mask_pan_like_digits(text: &mut [u8]) {
    let mut i = 0;
    while i < text.len() {
        let run = text
            .get(i..)
            .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count());
        if run == 0 {
            i += 1;
            continue;
        }
        let end = i + run;
        if (13..=19).contains(&run) && text.get(i..end).is_some_and(luhn_ok) {
            if let Some(digits) = text.get_mut(i..end) {
                mask_ascii_pan(digits);
            }
        }
        i = end;
    }
}

fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_digit_runs_in_text() {
        let mut t = b"PAN 5598831234568074 ok 1234567890123".to_vec();
        mask_pan_like_digits(&mut t);
        assert_eq!(&t, b"PAN 559883******8074 ok 1234567890123");
    }
}
