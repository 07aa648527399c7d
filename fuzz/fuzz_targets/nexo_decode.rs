//! nexo (Adyen Terminal API): the message reader on any bytes, then everything `decode nexo`
//! does with what it read — masking, the diagnosis and result readers, re-encoding, and for a
//! secured message the decryption with a wrong key — none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::nexo::{self, Diagnosis, Envelope, Response, SecurityKey};

fuzz_target!(|data: &[u8]| {
    let _ = nexo::mask_str(&String::from_utf8_lossy(data));
    match nexo::parse(data) {
        Ok(Envelope::Plain(m)) => {
            let _ = nexo::mask_value(&m.body);
            let _ = Diagnosis::from_body(&m.body);
            if let Some(r) = Response::of_body(&m.body) {
                let _ = nexo::result_meaning(&r.result);
                let _ = r.is_success();
            }
            let _ = m.header.category();
            let _ = m.to_json();
        }
        Ok(Envelope::Secured(s)) => {
            let _ = s.to_value();
            let key = SecurityKey::new("not the terminal's passphrase", "fuzz", 1);
            let _ = s.open(&key);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
