#!/usr/bin/env bash
# Hostile and malformed input through the real binary (issue 10): every input gets a clean
# error (exact text and exit status) or a correct result, a failure writes nothing, and
# each run ends within a generous guard, so a hang fails the test. How fast and how small
# each one stays is measured by scripts/bench-hostile, not asserted here.
source "$(dirname "$0")/lib.sh"

root=$SOURCE_ROOT
cd "$work"
mkdir in

# guarded ARGS...: forgeline under a 60 s guard; sets $status, $out and $err like run.
guarded() {
  timeout 60 "$FORGELINE" "$@" >"$work/.stdout" 2>"$work/.stderr"
  status=$?
  out=$(cat "$work/.stdout")
  err=$(cat "$work/.stderr")
  ((status == 124)) && fail "hung (killed after 60 s): forgeline $*"
}

# refused NAME MATRIX STATUS STDERR: generate from MATRIX fails with exactly STDERR and
# writes nothing; check and plan give the same error.
refused() {
  local name=$1 matrix=$2 want=$3 message=$4 command
  for command in generate check plan; do
    if [[ $command == plan ]]; then guarded plan --matrix "$matrix"
    else guarded "$command" --matrix "$matrix" --out "out-$name"
    fi
    expect_status "$name ($command)" "$want"
    expect_eq "$name ($command): stderr" "$message" "$err"
    expect_eq "$name ($command): stdout" "" "$out"
    [[ -e "out-$name" ]] && fail "$name ($command): wrote out-$name"
  done
}

# invalid NAME FILE STDERR: validate reports the workflow FILE with exactly STDERR, exit 1.
invalid() {
  guarded validate "$2"
  expect_status "$1 (validate)" 1
  expect_eq "$1 (validate): stderr" "$3" "$err"
}

head_lines="forgeline: 1
family: openwrt-package
package: p
image: ghcr.io/a/b
openwrt: 24.10.1"
printf '%s\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n' "$head_lines" >in/good.yaml

# --- Big but valid: forgeline's own output may pass the input limits ---------------------
# 2,500 architectures are a matrix well within the limits, but the assembly line's
# define-matrix script lists them all twice: a `run:` value over 256 KiB. forgeline checks
# what it renders with limits for its own output, so this generates and checks.
python3 - <<'PY'
arches = [("aarch64_cortex-a53", "mediatek-filogic"), ("mips_24kc", "ath79-generic"), ("x86_64", "x86-64")]
lines = ["forgeline: 1", "family: openwrt-package", "package: p", "image: ghcr.io/a/b", "architectures:"]
for i in range(2500):
    arch, sdk = arches[i % 3]
    lines.append(f"  - {{arch: {arch}-{i}, sdk: {sdk}, rust_target: x86_64-unknown-linux-musl}}")
open("in/wide.yaml", "w").write("\n".join(lines) + "\n")
PY
guarded generate --matrix in/wide.yaml --out out-wide
expect_status "2,500 architectures: generate" 0
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' out-wide/.github/workflows/build-package.yml)
script=$(sed -n '/^ *run: |$/,/^ *- /p' out-wide/.github/workflows/build-package.yml | wc -c)
((script > 262144)) || fail "2,500 architectures: the define-matrix script is only $script bytes (longest line $longest)"
guarded check --matrix in/wide.yaml --out out-wide
expect_status "2,500 architectures: check" 0

# --- Aliases: self-reference and expansion ------------------------------------------------
printf 'x: &a [*a]\n' >in/self-list.yaml
refused self-list in/self-list.yaml 2 \
  "in/self-list.yaml:1:8: error: alias '*a' refers to a node that contains it; the copy would never end"
printf 'on: push\njobs:\n  a: &job\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo\n    needs: *job\n' >in/self-map.yml
invalid self-map in/self-map.yml \
  "in/self-map.yml:7:12: error: alias '*job' refers to a node that contains it; the copy would never end [yaml]"
python3 - <<'PY'
text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
for prev, name in zip("abcdefghi", "bcdefghij"):
    text += f"{name}: &{name} [" + ", ".join(["*" + prev] * 10) + "]\n"
open("in/laughs.yaml", "w").write(text)
open("in/laughs.yml", "w").write("on: push\njobs: {}\n" + text)
PY
refused laughs in/laughs.yaml 2 \
  "in/laughs.yaml:5:36: error: alias '*d' copies 11111 values, which makes more than the 100000 values forgeline reads from one file"
invalid laughs in/laughs.yml \
  "in/laughs.yml:7:36: error: alias '*d' copies 11111 values, which makes more than the 100000 values forgeline reads from one file [yaml]"

# --- Size: nesting, values, strings, keys, the whole file ----------------------------------
python3 -c 'open("in/deep.yaml", "w").write("".join("  " * i + "-\n" for i in range(500)))'
refused deep in/deep.yaml 2 \
  "in/deep.yaml:65:129: error: collections nested more than 64 levels deep; forgeline reads at most 64"
python3 - <<'PY'
head = open("in/good.yaml").read().split("architectures:")[0]
open("in/100k.yaml", "w").write(head + "architectures:\n" + "".join(
    f"  - {{arch: a{i}, sdk: s{i}}}\n" for i in range(100000)))
open("in/long-line.yaml", "w").write("a: " + "x" * (10 * 1024 * 1024) + "\n")
open("in/long-key.yaml", "w").write("k" * (1024 * 1024) + ": 1\n")
open("in/long-string.yaml", "w").write(head + "package: " + "p" * (1024 * 1024) + "\n")
PY
refused 100k in/100k.yaml 2 \
  "in/100k.yaml:20004:12: error: more than 100000 values (keys, strings, lists and mappings); forgeline reads at most that many from one file"
refused long-line in/long-line.yaml 2 \
  "in/long-line.yaml: error: cannot read matrix: 10485764 bytes, more than the 8388608 forgeline reads"
refused long-key in/long-key.yaml 2 \
  "in/long-key.yaml:1:1: error: no complete value in the 262144 bytes after this point; forgeline reads strings and [...] or {...} collections of up to that many bytes"
refused long-string in/long-string.yaml 2 \
  "in/long-string.yaml:6:10: error: no complete value in the 262144 bytes after this point; forgeline reads strings and [...] or {...} collections of up to that many bytes"

# --- Bytes: NUL, invalid UTF-8, byte order marks, line breaks ------------------------------
printf '%s\narchitectures:\n  - {arch: x86_64, sdk: \0g}\n' "$head_lines" >in/nul.yaml
refused nul in/nul.yaml 2 \
  "in/nul.yaml:7:25: error: a NUL byte, which YAML text cannot contain (is this a binary file?)"
printf '%s\narchitectures:\n  - {arch: x86_64, sdk: caf\xe9}\n' "$head_lines" >in/latin1.yaml
refused invalid-utf8 in/latin1.yaml 2 "in/latin1.yaml:7:28: error: invalid UTF-8 (byte 0xe9); save the file as UTF-8"
printf '\xff\xfef\0o\0' >in/utf16.yaml
refused utf16 in/utf16.yaml 2 \
  "in/utf16.yaml:1:1: error: the file is UTF-16 or UTF-32 (it starts with that byte order mark); save it as UTF-8"
printf '1e999: x\nforgeline: 1e999\n' >in/exponent.yaml
refused exponent in/exponent.yaml 2 "in/exponent.yaml:2:12: error: 1e999 is out of range for a number; quote it if it is meant as text"
printf 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 1e-400\n    steps:\n      - run: echo\n' >in/tiny.yml
guarded validate in/tiny.yml
expect_status "1e-400 reads as 0 (validate)" 1
expect_eq "1e-400 reads as 0 (validate): stderr" \
  "in/tiny.yml:6:22: error: /jobs/a/timeout-minutes: must be a number greater than 0 or a \${{ }} expression [schema]" "$err"

# The same matrix with a byte order mark, CRLF or lone-CR line breaks generates the same files.
mkdir lf bom crlf cr
cp "$root/matrices/openwrt.yaml" lf/m.yaml
{ printf '\xef\xbb\xbf'; cat lf/m.yaml; } >bom/m.yaml
sed 's/$/\r/' lf/m.yaml >crlf/m.yaml
tr '\n' '\r' <lf/m.yaml >cr/m.yaml
for style in lf bom crlf cr; do
  (cd "$style" && timeout 60 "$FORGELINE" generate --matrix m.yaml --out out >/dev/null 2>"$work/.stderr")
  status=$?
  expect_status "$style: generate" 0
  expect_eq "$style: stderr" "" "$(cat "$work/.stderr")"
done
for style in bom crlf cr; do
  expect_eq "$style: same outputs as LF" "$(tree_digest lf/out)" "$(tree_digest "$style/out")"
done

# --- Documents ----------------------------------------------------------------------------
printf '%s\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n---\nfamily: stage-chain\n' "$head_lines" >in/two.yaml
refused two-documents in/two.yaml 2 \
  "in/two.yaml:8:1: error: a second YAML document starts here; a file holds one document (remove this '---' line or split the file)"
: >in/empty.yaml
refused empty in/empty.yaml 2 \
  "in/empty.yaml:1:1: error: the matrix is empty; it needs at least 'forgeline: 1' and 'family:' (forgeline init FAMILY writes a commented one)"

# --- What is not a regular file, or not there ---------------------------------------------
mkdir in/folder.yaml
refused directory in/folder.yaml 2 "in/folder.yaml: error: cannot read matrix: is a directory"
mkfifo in/fifo.yaml
refused fifo in/fifo.yaml 2 "in/fifo.yaml: error: cannot read matrix: not a regular file (a FIFO)"
ln -s /dev/zero in/zero.yaml
refused dev-zero in/zero.yaml 2 "in/zero.yaml: error: cannot read matrix: not a regular file (a character device)"
refused missing in/missing.yaml 2 "in/missing.yaml: error: cannot read matrix: No such file or directory"
guarded validate in/fifo.yaml in/zero.yaml in/folder.yaml
expect_status "validate: not regular files" 2
expect_eq "validate: not regular files: stderr" "in/fifo.yaml: error: cannot read workflow: not a regular file (a FIFO)
in/folder.yaml: error: cannot read workflow: is a directory
in/zero.yaml: error: cannot read workflow: not a regular file (a character device)" "$err"

# --- Matrices that would reach outside the repository or past the runner ------------------
printf 'forgeline: 1\nfamily: stage-chain\nname: x\nstages:\n  - {name: base, dockerfile: ../../../etc/passwd, estimate: 30m}\n' >in/dotdot.yaml
refused dotdot in/dotdot.yaml 2 \
  "in/dotdot.yaml:5:30: error: /stages/0/dockerfile: must be a relative path that stays inside the repository (no leading '/', no '..' part) of letters, digits, '.', '_', '/', '+' and '-'"
printf 'forgeline: 1\nfamily: stage-chain\nname: x\nstages:\n  - {name: app, dockerfile: d, estimate: 30m, artifact: /../../root}\n' >in/artifact.yaml
refused artifact in/artifact.yaml 2 \
  "in/artifact.yaml:5:57: error: /stages/0/artifact: must be a relative path that stays inside the repository (no leading '/', no '..' part) of letters, digits, '.', '_', '/', '+' and '-'"
printf '%s\nsafety_margin: 7h\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n' "$head_lines" >in/margin.yaml
refused margin in/margin.yaml 2 \
  "in/margin.yaml:6:16: error: /safety_margin: 7h leaves no time for work: a job on ubuntu-24.04 may run 6h; make it shorter than that"

# --- Two matrices producing one file ------------------------------------------------------
cp in/good.yaml in/twin.yaml
sed -i 's/image: ghcr.io\/a\/b/image: ghcr.io\/a\/c/; s/package: p/package: q/' in/twin.yaml
guarded generate --matrix in/good.yaml --matrix in/twin.yaml --out out-twins
expect_status "twins" 2
expect_eq "twins: first line" "in/twin.yaml:2:9: error: out-twins/.docker/Dockerfile is also produced by in/good.yaml; give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags and caches" \
  "$(head -n1 <<<"$err")"
[[ -e out-twins ]] && fail "twins: wrote out-twins"

# --- add-arch -----------------------------------------------------------------------------
mkdir -p repo/matrices
sed 's/$/\r/' in/good.yaml >repo/matrices/openwrt.yaml
cd repo
guarded generate
expect_status "add-arch: generate" 0
before=$(tree_digest .)
guarded add-arch mipsel_24kc --sdk x86-64
expect_status "add-arch: SDK of another architecture" 2
expect_eq "add-arch: SDK of another architecture: stderr" \
  "matrices/openwrt.yaml:6:1: error: SDK target 'x86-64' builds x86_64 packages, not mipsel_24kc; pass --sdk with one of: ramips-mt7621, ramips-mt76x8" "$err"
guarded add-arch sparc_v8 --sdk x86-64 --rust-target sparc-unknown-linux-gnu
expect_status "add-arch: SDK of another architecture, unknown architecture" 2
expect_eq "add-arch: SDK of another architecture, unknown architecture: stderr" \
  "matrices/openwrt.yaml:6:1: error: SDK target 'x86-64' builds x86_64 packages, not sparc_v8; pass the SDK target that builds sparc_v8" "$err"
expect_eq "add-arch: refusals write nothing" "$before" "$(tree_digest .)"
guarded add-arch mipsel_24kc --sdk ramips-mt7621
expect_status "add-arch on a CRLF matrix" 0
expect_eq "add-arch on a CRLF matrix: the new entry ends in CRLF" \
  "$(printf '  - {arch: mipsel_24kc, sdk: ramips-mt7621, rust_target: mipsel-unknown-linux-musl}\r')" \
  "$(tail -n1 matrices/openwrt.yaml)"
expect_eq "add-arch on a CRLF matrix: every line ends in CRLF" "0" "$(grep -c $'[^\r]$' matrices/openwrt.yaml)"
guarded check
expect_status "add-arch on a CRLF matrix: check" 0
cd "$work"

finish
