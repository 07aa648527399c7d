#!/usr/bin/env bash
# Regenerates screenshots/ from the built-in demo, headless, in a real terminal (tmux):
# each tab at 80x24 and 120x40, plus the Checks tab with a fault. Installs tmux if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq tmux >/dev/null
    else
        echo "tmux is needed: install it (apt-get install tmux / brew install tmux)" >&2
        exit 1
    fi
fi

cargo build --release --quiet
bin="$PWD/target/release/posdiag"
work=$(mktemp -d)
session="posdiag-shots-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

# Waits until the pane shows $2 (the UI is event driven; no fixed sleeps beyond this).
wait_for() {
    for _ in $(seq 1 100); do
        if tmux capture-pane -pt "$1" | grep -q "$2"; then return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for '$2'" >&2
    tmux capture-pane -pt "$1" >&2
    return 1
}

shoot() { # size, name, extra demo args
    local size=$1 name=$2; shift 2
    local w=${size%x*} h=${size#*x}
    tmux new-session -d -s "$session" -x "$w" -y "$h" \
        "LANG=${SHOT_LANG:-en_US.UTF-8} $bin demo $* --capture $work/c.jsonl --log-file $work/log"
    wait_for "$session" "done\\|已完成"
    local tab
    for tab in 1:connect 2:checks 3:transactions 4:guide 5:log; do
        tmux send-keys -t "$session" "${tab%%:*}"
        sleep 0.3
        tmux capture-pane -pt "$session" > "screenshots/${size}-${name}-${tab#*:}.txt"
    done
    if [ -n "${SELECT_DOWN:-}" ]; then # the evidence of a failed check, then its guide
        tmux send-keys -t "$session" 2
        for _ in $(seq 1 "$SELECT_DOWN"); do tmux send-keys -t "$session" j; done
        sleep 0.3
        tmux capture-pane -pt "$session" > "screenshots/${size}-${name}-checks.txt"
        tmux send-keys -t "$session" g
        sleep 0.4
        tmux capture-pane -pt "$session" > "screenshots/${size}-${name}-guide.txt"
    fi
    if [ -n "${PAY:-}" ]; then # a payment of 12.34 on the Transactions tab
        tmux send-keys -t "$session" 3 p 1 2 . 3 4 Enter
        sleep 0.3
        tmux send-keys -t "$session" y
        wait_for "$session" "APPROVED\|DECLINED\|REVERSED"
        sleep 0.3
        tmux capture-pane -pt "$session" > "screenshots/${size}-${name}-transactions.txt"
    fi
    tmux send-keys -t "$session" q
    sleep 0.3
    tmux kill-session -t "$session" 2>/dev/null || true
}

rm -f screenshots/*.txt
PAY=1 shoot 80x24 demo
PAY=1 shoot 120x40 demo
SELECT_DOWN=3 shoot 80x24 fault-reader --fault reader.not_answering
PAY=1 shoot 80x24 decline --fault host.decline=51
SHOT_LANG=zh_CN.UTF-8 shoot 80x24 zh
# Keep only what differs by fault or language.
rm -f screenshots/80x24-fault-reader-{connect,transactions}.txt screenshots/80x24-zh-{connect,transactions}.txt \
    screenshots/80x24-decline-{connect,checks,guide,log}.txt
ls screenshots
