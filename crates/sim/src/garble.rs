//! What a wrong baud rate looks like: bytes that never form a frame.
//!
//! At a mismatched rate a UART samples the wrong bits: start bits land mid-byte, many bytes
//! come out as 0x00, 0xFF or with the high bit set, and no DLE STX survives. This maps each
//! byte the terminal would send onto such noise, deterministically.

/// Mangles `bytes` as a receiver at the wrong baud rate would see them.
pub fn garble(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for (i, &b) in bytes.iter().enumerate() {
        // A byte at twice the rate reads as two bytes; at half the rate, bits merge.
        let first = b.rotate_left(3) | 0x80;
        out.push(first);
        if i % 3 == 0 {
            out.push(if b & 1 == 0 { 0x00 } else { 0xFF });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::garble;

    #[test]
    fn never_contains_a_frame_start() {
        let noise = garble(&[0x10, 0x02, 0x06, 0x0F, 0x00, 0x10, 0x03, 0x06]);
        assert!(!noise.windows(2).any(|w| w == [0x10, 0x02]));
        assert!(!noise.contains(&0x06));
    }
}
