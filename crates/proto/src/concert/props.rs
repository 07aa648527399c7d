//! Property tests: no input makes the codec panic, and what it encodes it reads back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;

use super::*;

proptest! {
    #[test]
    fn nothing_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300), cut in 1usize..40) {
        let _ = decode_frame(&bytes);
        let _ = explain(&bytes).to_lines(crate::i18n::Lang::En);
        let _ = Request::decode_body(&bytes);
        let _ = Answer::decode_body(&bytes);
        let _ = mask_repport(&String::from_utf8_lossy(&bytes));
        prop_assert_eq!(redact_stream(&bytes).len(), bytes.len());
        let mut d = Deframer::new();
        for chunk in bytes.chunks(cut) {
            let _ = d.push(chunk);
        }
        let _ = d.finish();
    }

    #[test]
    fn framed_bodies_of_the_right_length_always_reach_the_field_reader(
        body in proptest::collection::vec(0x20u8..0x7F, 25..=25)
            .prop_union(proptest::collection::vec(0x20u8..0x7F, 80..=80))
            .or(proptest::collection::vec(0x20u8..0x7F, 34..=34))
    ) {
        let frame = encode_frame(&body);
        prop_assert_eq!(decode_frame(&frame).unwrap(), &body[..]);
        let _ = explain(&frame);
    }

    #[test]
    fn answers_round_trip(result in prop::sample::select(vec![b'0', b'7', b'9']),
                          cents in 0u64..100_000_000, full in any::<bool>(), pan in "[0-9]{16}") {
        let a = Answer {
            pos: "01".into(),
            result: ResultCode(result),
            amount_cents: cents,
            payment_mode: b'1',
            repport: full.then(|| format!("{pan:<55}")),
            currency: "978".into(),
            private: "0000000001".into(),
        };
        let frame = a.to_frame().unwrap();
        prop_assert_eq!(Answer::decode_body(decode_frame(&frame).unwrap()).unwrap(), a);
        let red = redact_stream(&frame);
        prop_assert!(!String::from_utf8_lossy(&red).contains(pan.as_str()) || !full);
    }
}
