//! The Feig cVEND frames among the crate's blobs (see `VENDOR_FRAMES`), compared with the
//! crate's `zvt::feig::packets`, and the Change Host Configuration frame of the issue.

use zvt::feig::packets as feig;
use zvt::ZvtSerializer;

use super::{all, decoded, num, posdiag, unquote, val};

#[test]
fn feig_cvend_functions_and_system_information() {
    let (bytes, d) = decoded("1680761818.690979000_ecr_pt.blob");
    let c = feig::CVendFunctions::zvt_deserialize(&bytes).unwrap().0;
    assert_eq!(
        val(&d, "FUNC"),
        format!("{:04X} — enhanced system information", c.instr)
    );

    let (bytes, d) = decoded("1680761818.768770000_pt_ecr.blob");
    let c = feig::CVendFunctionsEnhancedSystemInformationCompletion::zvt_deserialize(&bytes)
        .unwrap()
        .0;
    assert_eq!(val(&d, "DEVID"), c.device_id);
    assert_eq!(unquote(&val(&d, "SW")), c.sw_version.trim_end());
    assert_eq!(val(&d, "TID"), c.terminal_id);
    assert_eq!(val(&d, "TEMP"), format!("{} °C", c.temperature));
}

#[test]
fn feig_file_transfer() {
    let (bytes, d) = decoded("1682080275.594788000_192.168.0.139_192.168.0.59.blob");
    let c = feig::WriteFile::zvt_deserialize(&bytes).unwrap().0;
    assert_eq!(c.password, 123456);
    assert!(!d.to_string().contains("123456") && !d.to_string().contains("3456"));
    let files = all(&d, "TLV 2D");
    assert_eq!(files.len(), c.tlv.as_ref().unwrap().files.len());
    for (node, file) in files.iter().zip(&c.tlv.unwrap().files) {
        assert_eq!(Some(num(&val(node, "TLV 1D")) as u8), file.file_id);
        assert_eq!(Some(num(&val(node, "TLV 1F00")) as u32), file.file_size);
        assert!(val(node, "TLV 1D").contains("Feig update file"));
    }

    let (bytes, d) = decoded("1682080275.777628000_192.168.0.59_192.168.0.139.blob");
    let c = feig::RequestForData::zvt_deserialize(&bytes).unwrap().0;
    let file = c.tlv.unwrap().file.unwrap();
    assert_eq!(d["name"]["en"], "Request for Data (Feig file transfer)");
    assert_eq!(Some(num(&val(&d, "TLV 1D")) as u8), file.file_id);
    assert_eq!(Some(num(&val(&d, "TLV 1E")) as u32), file.file_offset);

    let (bytes, d) = decoded("1682080310.907262000_192.168.0.139_192.168.0.59.blob");
    let c = feig::WriteData::zvt_deserialize(&bytes).unwrap().0;
    let file = c.tlv.unwrap().file.unwrap();
    assert_eq!(Some(num(&val(&d, "TLV 1D")) as u8), file.file_id);
    assert_eq!(Some(num(&val(&d, "TLV 1E")) as u32), file.file_offset);
    let data_len = file.payload.unwrap().len();
    assert_eq!(val(&d, "TLV 1C"), format!("[{data_len} bytes]"));
}

/// The Feig Change Configuration frame of the issue (it is not among the crate's 0.1.0 blobs;
/// the crate's later `ChangeConfiguration` test reads the same bytes): E4 { FF40 password,
/// FF41 host }, both with the constructed bit set over a plain value.
#[test]
fn feig_change_host_configuration() {
    let hex = "0813140612e410ff4003123456ff4107d5b7136976c101";
    for format in ["text", "json"] {
        let out = posdiag()
            .args(["decode", "zvt", hex, "--lang", "en", "--format", format])
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(s.contains("host 213.183.19.105 port 30401"), "{s}");
        for digits in ["123456", "1234", "2345", "3456", "12 34", "34 56"] {
            assert!(!s.contains(digits), "{digits} in {s}");
        }
    }
}
