#!/bin/sh
# Starts / stops `k2 mock` for the CTest fixture.
#   mock.sh start K2_BIN DIR   -> DIR/url holds the base URL (first stdout line)
#   mock.sh stop DIR
set -eu
case "${1:-}" in
start)
    bin="$2"; dir="$3"
    mkdir -p "$dir"
    if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
    # No stale output: the shell below may poll before the new process has
    # truncated its stdout.
    rm -f "$dir/url" "$dir/stdout" "$dir/stderr" "$dir/pid"
    [ -x "$bin" ] || { echo "k2 simulator not found at $bin (cargo build -p kopokopo-mock)" >&2; exit 1; }
    # Every descriptor redirected, so CTest does not wait for this background process.
    "$bin" mock --port 0 --callback-delay-ms 100 </dev/null >"$dir/stdout" 2>"$dir/stderr" &
    echo $! >"$dir/pid"
    i=0
    while [ $i -lt 300 ]; do
        line="$(head -n 1 "$dir/stdout" 2>/dev/null || true)"
        case "$line" in
        http://*)
            if [ "$(wc -l <"$dir/stdout")" -ge 1 ]; then
                echo "$line" >"$dir/url"
                echo "k2 mock at $line (pid $(cat "$dir/pid"))"
                exit 0
            fi ;;
        esac
        if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
            echo "k2 mock exited:" >&2
            cat "$dir/stderr" >&2
            exit 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
    echo "k2 mock printed no URL within 30 s" >&2
    exit 1 ;;
stop)
    dir="$2"
    if [ -f "$dir/pid" ]; then
        pid="$(cat "$dir/pid")"
        kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/pid"
    fi ;;
*)
    echo "usage: $0 start K2_BIN DIR | stop DIR" >&2
    exit 2 ;;
esac
