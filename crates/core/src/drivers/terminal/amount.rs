//! Amounts as every view shows them: minor units and an ISO 4217 numeric currency code.

/// "EUR", or the numeric code when posdiag does not know its letters.
pub fn currency_name(code: u16) -> String {
    // The ISO 4217 table lives with the codec that first needed it; it is not ZVT knowledge.
    crate::proto::zvt::values::currency_alpha(code)
        .map_or_else(|| format!("{code:03}"), str::to_owned)
}

/// An amount in minor units with its currency ("12.34 CNY"), or the bare number without one
/// (some protocols leave the currency to the terminal's configuration).
pub fn amount_string(minor: u64, currency: Option<u16>) -> String {
    match currency {
        Some(c) => crate::proto::zvt::values::format_amount(minor, Some(c)),
        None => format!("{}.{:02}", minor / 100, minor % 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_and_without_currency() {
        assert_eq!(amount_string(1234, Some(156)), "12.34 CNY");
        assert_eq!(amount_string(1234, None), "12.34");
        assert_eq!(amount_string(5, Some(392)), "5 JPY");
        assert_eq!(currency_name(978), "EUR");
        assert_eq!(currency_name(999), "999");
    }
}
