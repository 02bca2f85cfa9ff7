#!/usr/bin/env bash
# Mutation testing of the core (`kopokopo`) with cargo-mutants: how many
# deliberately planted bugs does `cargo test -p kopokopo` catch?
#
# Usage:
#   scripts/mutants.sh [OPTIONS] --all                 every file of the crate (the core: hours on 2 cores)
#   scripts/mutants.sh [OPTIONS] core/src/money.rs ... the named files
#   scripts/mutants.sh [OPTIONS] --in-diff [BASE]      only the lines changed since the merge base
#                                            with BASE (default: origin/main if it exists,
#                                            else HEAD, i.e. the uncommitted changes);
#                                            an empty diff exits 0 at once
# Options:
#   --crate NAME   another crate of the workspace: kopokopo-mock (the simulator)
#                  or kopokopo-c (the C binding's Rust side); default kopokopo
#   --iterate      keep the previous results in the output directory and test
#                  only the mutants not caught before (cargo mutants --iterate);
#                  the summary counts the earlier catches too
#
# Writes a table (caught / missed / unviable / timeout per file) to
# target/mutants-summary.md and stdout, and exits non-zero when, in any file,
# the caught share of viable mutants (timeouts count as caught) is below
# MUTANTS_BAR percent (default 90), or when cargo-mutants itself fails.
# Exclusions (equivalent mutants, each with its reason) are in .cargo/mutants.toml.
#
# Environment: MUTANTS_BAR (90), MUTANTS_JOBS (1), MUTANTS_TIMEOUT (seconds per
# test run, 120), MUTANTS_BUILD_TIMEOUT (seconds per build, 600),
# MUTANTS_OUT (target/mutants).
set -euo pipefail
cd "$(dirname "$0")/.."

BAR=${MUTANTS_BAR:-90}
JOBS=${MUTANTS_JOBS:-1}
TIMEOUT=${MUTANTS_TIMEOUT:-120}
BUILD_TIMEOUT=${MUTANTS_BUILD_TIMEOUT:-600}
OUT=${MUTANTS_OUT:-target/mutants}
SUMMARY=target/mutants-summary.md

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

crate=kopokopo
iterate=()
while :; do
  case "${1:-}" in
    --crate) crate=${2:?--crate needs a name}; shift 2 ;;
    --iterate) iterate=(--iterate); shift ;;
    *) break ;;
  esac
done
case $crate in
  kopokopo) src=core/src ;;
  kopokopo-mock) src=mock/src ;;
  kopokopo-c) src=bindings-c/src ;;
  *) echo "mutants: --crate is one of kopokopo, kopokopo-mock, kopokopo-c" >&2; exit 2 ;;
esac

select_args=()
case "${1:-}" in
  "" | -h | --help) usage 2 ;;
  --all) select_args=(--package "$crate") ;;
  --in-diff)
    base=${2:-}
    if [ -z "$base" ]; then
      if git rev-parse -q --verify origin/main >/dev/null; then base=origin/main; else base=HEAD; fi
    fi
    merge_base=$(git merge-base HEAD "$base")
    mkdir -p target
    diff_file=target/mutants-in-diff.patch
    # Committed and uncommitted changes of the crate's sources since the merge base.
    git diff --no-color --no-ext-diff "$merge_base" -- "$src" >"$diff_file"
    if ! grep -q '^@@' "$diff_file"; then
      echo "mutants: no change in $src since $(git rev-parse --short "$merge_base") ($base): nothing to test"
      exit 0
    fi
    echo "mutants: $src lines changed since $(git rev-parse --short "$merge_base") ($base):"
    git diff --stat "$merge_base" -- "$src" | sed 's/^/  /'
    select_args=(--package "$crate" --in-diff "$diff_file")
    ;;
  -*) echo "mutants: unknown option $1" >&2; usage 2 ;;
  *)
    select_args=(--package "$crate")
    for f in "$@"; do
      [ -f "$f" ] || { echo "mutants: no such file $f" >&2; exit 2; }
      select_args+=(--file "$f")
    done
    ;;
esac

# Pinned; installed from crates.io when missing (only reached with mutants to test).
if ! cargo mutants --version 2>/dev/null | grep -q "27.1.0"; then
  echo "mutants: installing cargo-mutants 27.1.0"
  cargo install -q --locked cargo-mutants --version 27.1.0
fi

if [ ${#iterate[@]} -eq 0 ]; then rm -rf "$OUT"; fi
# No debug info: a third faster to build and link each mutant, same tests.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
set +e
cargo mutants "${select_args[@]}" "${iterate[@]}" \
  --jobs "$JOBS" --timeout "$TIMEOUT" --build-timeout "$BUILD_TIMEOUT" \
  --no-shuffle --output "$OUT"
rc=$?
set -e
# 0: all caught, 2: some missed, 3: some timed out; anything else (a failing
# baseline, a usage error) is a failure of the run itself.
case $rc in
  0 | 2 | 3) ;;
  *) echo "mutants: cargo mutants failed (exit $rc); see $OUT/mutants.out" >&2; exit "$rc" ;;
esac

# The mutants that exist now, for the ledger below (a second listing is instant).
cargo mutants "${select_args[@]}" --list >"$OUT/current.txt"

python3 - "$OUT" "$BAR" "$SUMMARY" <<'EOF'
import collections, pathlib, sys

out, bar, summary = pathlib.Path(sys.argv[1]), float(sys.argv[2]), pathlib.Path(sys.argv[3])
kinds = ["caught", "missed", "unviable", "timeout"]
# The ledger keeps each mutant's latest outcome across --iterate runs (cargo
# mutants' own previously_caught.txt mixes the unviable in with the caught).
ledger_path = out / "ledger.tsv"
ledger = {}
if ledger_path.exists():
    for line in ledger_path.read_text().splitlines():
        kind, name = line.split("\t", 1)
        ledger[name] = kind
for kind in kinds:
    path = out / "mutants.out" / f"{kind}.txt"
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip():
            ledger[line] = kind
ledger_path.write_text("".join(f"{k}\t{n}\n" for n, k in sorted(ledger.items())))
# Count only the mutants of the code as it is now: after an edit, a mutant
# whose line moved is a new mutant, and the outcome kept for its old name is dropped.
current = [l for l in (out / "current.txt").read_text().splitlines() if l.strip()]
counts = collections.defaultdict(lambda: dict.fromkeys(kinds + ["untested"], 0))
for name in current:
    counts[name.split(":", 1)[0]][ledger.get(name, "untested")] += 1
untested = [n for n in current if n not in ledger]
missed = [n for n in current if ledger.get(n) == "missed"]
rows, failing = [], []
total = dict.fromkeys(kinds, 0)
for file in sorted(counts):
    c = counts[file]
    for k in kinds:
        total[k] += c[k]
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = 100.0 * (c["caught"] + c["timeout"]) / viable if viable else 100.0
    ok = share >= bar and not c["untested"]
    if not ok:
        failing.append(file)
    rows.append(f"| {file} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} "
                f"| {c['caught'] + c['timeout']}/{viable} = {share:.0f}% | {'ok' if ok else 'BELOW'} |")
viable = total["caught"] + total["missed"] + total["timeout"]
share = 100.0 * (total["caught"] + total["timeout"]) / viable if viable else 100.0
text = "\n".join([
    f"# Mutation testing (cargo mutants), bar {bar:.0f}% caught of viable per file",
    "",
    "| file | caught | missed | unviable | timeout | caught share of viable | |",
    "|---|---:|---:|---:|---:|---:|---|",
    *rows,
    f"| **total** | {total['caught']} | {total['missed']} | {total['unviable']} | {total['timeout']} "
    f"| {total['caught'] + total['timeout']}/{viable} = {share:.0f}% | |",
    "",
    *(["Missed mutants:", "", *(f"- `{l}`" for l in missed), ""] if missed else []),
    *(["Not tested (an interrupted run? run again with --iterate):", "", *(f"- `{l}`" for l in untested), ""]
      if untested else []),
])
summary.parent.mkdir(parents=True, exist_ok=True)
summary.write_text(text + "\n")
print(text)
if failing:
    print(f"mutants: below {bar:.0f}% (or not all tested) in: {', '.join(failing)}", file=sys.stderr)
    sys.exit(1)
EOF
