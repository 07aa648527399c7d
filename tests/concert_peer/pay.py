"""An Ingenico Concert cash register played by pyTeliumManager (PyPI, pinned in
scripts/setup_python.sh), for tests/concert_peer.rs.

Usage: pay.py PORT MODE [AMOUNT]
  MODE probe          ENQ … EOT only (Telium.is_ok): the terminal must not change
  MODE full | short   a card debit in EUR, asking for the full or the short answer

Prints one JSON object: what the library read. Card numbers are printed only as the
library masks them (last four), never whole.
"""
import json
import sys

from telium import Telium, TeliumAsk


def main():
    port, mode = sys.argv[1], sys.argv[2]
    amount = float(sys.argv[3]) if len(sys.argv) > 3 else 12.5
    terminal = Telium(port, timeout=5)
    out = {"probe_ok": terminal.is_ok()}
    if mode != "probe":
        ask = TeliumAsk.new_payment(
            amount,
            payment_mode="debit",
            target_currency="EUR",
            checkout_unique_id="1",
            collect_payment_source_info=(mode == "full"),
        )
        out["accepted"] = terminal.ask(ask)
        answer = terminal.verify(ask, waiting_timeout=10)
        if answer is None:
            out["answer"] = None
        else:
            card = answer.card_type
            out["answer"] = {
                "has_succeeded": answer.has_succeeded,
                "transaction_result": answer.transaction_result,
                "amount": answer.amount,
                "currency_numeric": answer.currency_numeric,
                "pos_number": answer.pos_number,
                "payment_mode": answer.payment_mode,
                "transaction_id": answer.transaction_id,
                "repport_len": len(answer.repport),
                "card_type": card.name if card is not None else None,
                "card_masked": card.masked_numbers() if card is not None else None,
            }
    terminal.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
