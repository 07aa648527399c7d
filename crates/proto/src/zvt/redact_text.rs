//! Card numbers printed in clear inside ZVT text (receipt lines, display texts, BMP 3C).

use crate::redact::mask_text_digit_runs;

/// Masks card-number-like digit runs in free text (see [`mask_text_digit_runs`]): 12 or more
/// digits, grouped by spaces, dashes or dots or not, Luhn valid or not.
pub fn mask_pan_like_digits(text: &mut [u8]) {
    mask_text_digit_runs(text);
}
