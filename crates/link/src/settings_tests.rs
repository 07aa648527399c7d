//! Tests of the serial settings: parsing, display, serde, candidates.

use super::*;

#[test]
fn short_forms_parse() {
    let s = SerialSettings::parse("/dev/ttyUSB0", "9600 8N2").unwrap();
    assert_eq!(s.baud, 9600);
    assert_eq!(s.framing(), Framing::F8N2);
    assert_eq!(s.port, "/dev/ttyUSB0");

    let s = SerialSettings::parse("COM3", "115200,8N1").unwrap();
    assert_eq!((s.baud, s.framing()), (115200, Framing::F8N1));

    let s = SerialSettings::parse("COM3", "19200,7,E,1").unwrap();
    assert_eq!((s.baud, s.framing()), (19200, Framing::F7E1));

    let s = SerialSettings::parse("COM3", "38400 8-o-1 rtscts").unwrap();
    assert_eq!(s.parity, Parity::Odd);
    assert_eq!(s.flow_control, FlowControl::Hardware);

    let s = SerialSettings::parse("COM3", " 57600 ").unwrap();
    assert_eq!((s.baud, s.framing()), (57600, Framing::F8N1));
}

#[test]
fn bad_short_forms_say_what_is_wrong() {
    let problem = |s: &str| match SerialSettings::parse("p", s) {
        Err(LinkError::InvalidSettings { problem, .. }) => problem,
        other => panic!("{s}: expected InvalidSettings, got {other:?}"),
    };
    assert_eq!(problem(""), SettingsProblem::Format);
    assert_eq!(problem("fast 8N1"), SettingsProblem::Baud);
    assert_eq!(problem("0 8N1"), SettingsProblem::Baud);
    assert_eq!(problem("9600 9N1"), SettingsProblem::DataBits);
    assert_eq!(problem("9600 8X1"), SettingsProblem::Parity);
    assert_eq!(problem("9600 8N3"), SettingsProblem::StopBits);
    assert_eq!(problem("9600 8N1 extra"), SettingsProblem::Format);
}

#[test]
fn display_is_the_short_form_and_parses_back() {
    for s in SerialSettings::autodetect_candidates("/dev/ttyUSB0") {
        let text = s.to_string();
        assert_eq!(SerialSettings::parse("/dev/ttyUSB0", &text).unwrap(), s);
    }
    let s = SerialSettings::new("x", 9600)
        .with_framing(Framing::F8N2)
        .with_flow_control(FlowControl::Software);
    assert_eq!(s.to_string(), "9600 8N2 xonxoff");
    assert_eq!(SerialSettings::parse("x", &s.to_string()).unwrap(), s);
}

#[test]
fn autodetect_candidates_cover_the_field_guide_table() {
    let c = SerialSettings::autodetect_candidates("p");
    assert_eq!(c.len(), 15);
    assert_eq!(c[0].to_string(), "9600 8N1");
    assert_eq!(c[1].to_string(), "9600 8N2");
    assert_eq!(c[2].to_string(), "9600 7E1");
    assert_eq!(c[14].to_string(), "115200 7E1");
}

#[test]
fn toml_round_trip_and_defaults() {
    let text = r#"
        port = "/dev/ttyUSB0"
        baud = 9600
        data_bits = 8
        parity = "none"
        stop_bits = 2
        flow_control = "hardware"
    "#;
    let s: SerialSettings = toml::from_str(text).unwrap();
    assert_eq!(s.to_string(), "9600 8N2 rtscts");
    let back: SerialSettings = toml::from_str(&toml::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);

    let minimal: SerialSettings = toml::from_str("baud = 115200").unwrap();
    assert_eq!(minimal, SerialSettings::new("", 115200));
    assert!(!toml::to_string(&minimal).unwrap().contains("port"));
}

#[test]
fn toml_rejects_unknown_keys_and_bad_values() {
    let err = toml::from_str::<SerialSettings>("baud = 9600\nbaudrate = 9600").unwrap_err();
    assert!(err.to_string().contains("baudrate"), "{err}");
    let err = toml::from_str::<SerialSettings>("baud = 9600\ndata_bits = 9").unwrap_err();
    assert!(err.to_string().contains("use 5, 6, 7 or 8"), "{err}");
    let err = toml::from_str::<SerialSettings>("baud = 9600\nstop_bits = 3").unwrap_err();
    assert!(err.to_string().contains("use 1 or 2"), "{err}");
    let err = toml::from_str::<SerialSettings>("baud = 9600\nparity = \"mark\"").unwrap_err();
    assert!(err.to_string().contains("mark"), "{err}");
}

#[test]
fn json_uses_the_same_shape() {
    let s = SerialSettings::new("COM3", 9600).with_framing(Framing::F7E1);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"port": "COM3", "baud": 9600, "data_bits": 7,
            "parity": "even", "stop_bits": 1, "flow_control": "none"})
    );
}
