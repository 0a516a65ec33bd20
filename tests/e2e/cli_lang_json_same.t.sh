# Issue 13: only what is shown changes with the language. status --json and
# notices --json in zh_CN.UTF-8 and in C.UTF-8 are the same document but for
# the texts people read (titles, names, the plan's units and reasons):
# every id, key, number, state and time is identical.
. "$SITREP_TOP/tests/e2e/lib.sh"
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is needed (scripts/deps.sh --test)"; }
need python3
export SITREP_NOW=2026-11-20T09:30:00Z
id=$(S open --plan hotline-outage --at 2026-11-20T09:00:00Z "语言 language") || fail "open"
expect_code 0 S metric "$id" complaints_pct=135 queue_min=9 --at 2026-11-20T09:05:00Z
expect_code 0 S escalate "$id" --reason "热线中断" --at 2026-11-20T09:10:00Z
expect_code 0 S task "$id" "检查中继 trunks" --due 30m
for cmd in "status $id --json" "notices $id --json" "tasks --json"; do
	# shellcheck disable=SC2086
	LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$SITREP_BIN" $cmd > en.json || fail "$cmd in English"
	# shellcheck disable=SC2086
	LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE= "$SITREP_BIN" $cmd > zh.json || fail "$cmd in Chinese"
	cmp -s en.json zh.json && fail "$cmd: the same in both languages (no Chinese titles?)"
	python3 - en.json zh.json "$cmd" <<'PY' || fail "$cmd differs beyond the texts"
import json, sys
TEXTS = {"title", "plan_title", "level_name", "warning_name", "rule_text", "unit", "text",
         "subject", "name", "why", "description", "owner_name"}
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in TEXTS}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
a, b = (strip(json.load(open(f, encoding="utf-8"))) for f in sys.argv[1:3])
if a != b:
    print("differs:", sys.argv[3])
    print(json.dumps(a, ensure_ascii=False)[:2000])
    print(json.dumps(b, ensure_ascii=False)[:2000])
    sys.exit(1)
PY
done
exit 0
