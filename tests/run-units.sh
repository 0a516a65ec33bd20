#!/bin/sh
# Run every cmocka unit test binary; cmocka prints its own summary per
# binary, this adds one total line.
pass=0; fail=0
for t in "$@"; do
	if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAILED: $t" >&2; fi
done
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
