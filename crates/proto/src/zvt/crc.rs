//! CRC-16/KERMIT, the checksum of ZVT serial frames (the spec calls it "CRC-XModem", but it is
//! the reflected KERMIT variant: check value 0x2189, not XMODEM's 0x31C3).

/// The CRC engine (poly 0x1021 reflected, init 0, no final xor).
pub const ZVT_CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_KERMIT);

/// CRC-16/KERMIT of `data`.
pub fn crc16_kermit(data: &[u8]) -> u16 {
    ZVT_CRC.checksum(data)
}

/// CRC of a serial frame: over the unstuffed APDU bytes followed by ETX (0x03).
pub fn frame_crc(apdu: &[u8]) -> u16 {
    let mut digest = ZVT_CRC.digest();
    digest.update(apdu);
    digest.update(&[super::frame::ETX]);
    digest.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value() {
        assert_eq!(crc16_kermit(b"123456789"), 0x2189);
    }

    #[test]
    fn status_enquiry_crc_has_dle_low_byte() {
        assert_eq!(frame_crc(&[0x05, 0x01, 0x00]), 0x0610);
    }
}
