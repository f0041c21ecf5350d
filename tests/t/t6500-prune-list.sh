#!/bin/sh
# tagpolicy prune -: the image tags a retention policy would delete, read
# from standard input as plain lines or as registry JSON (skopeo
# list-tags, the OCI tags/list answer, Docker Hub); text and JSON output;
# keep-within and SOURCE_DATE_EPOCH; protected kinds; errors.
. "$(dirname "$0")/test-lib.sh"

# 2026-11-27T12:00:00Z
SOURCE_DATE_EPOCH=1795780800
export SOURCE_DATE_EPOCH

test_expect_success 'setup: a retention policy and a registry listing' '
	cat >policy.yml <<-\EOF &&
	version: 1
	extends: [docker]
	retention:
	  dated: {keep: 2}
	  build: {keep: 2}
	  nightly: {keep-within: 7d}
	  minor: {keep-per: major, keep: 1}
	EOF
	cat >skopeo.json <<-\EOF &&
	{
	    "Repository": "ghcr.io/acme/app",
	    "Tags": [
	        "1.0.0", "1.0", "1", "1.0.0-aaaaaaa",
	        "1.1.0", "1.1", "1.1.0-bbbbbbb",
	        "1.10.0", "1.10", "1.10.0-ccccccc",
	        "1.9.0", "1.9", "1.9.0-eeeeeee",
	        "2.0.0", "2.0", "2", "2.0.0-ddddddd",
	        "20261101", "20261120", "20261127",
	        "prod-20261101", "prod-20261125",
	        "latest", "tmp_x"
	    ]
	}
	EOF
	cat >expect <<-\EOF
	20261101
	1.9.0-eeeeeee
	1.1.0-bbbbbbb
	1.0.0-aaaaaaa
	prod-20261101
	1.9
	1.1
	1.0
	EOF
'
TAGPOLICY_CONFIG=$TRASH/policy.yml
export TAGPOLICY_CONFIG

test_expect_success 'skopeo list-tags output piped in: exactly what retention selects' '
	tagpolicy prune - <skopeo.json >out 2>err &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'no argument reads standard input too; --stdin as well' '
	tagpolicy prune <skopeo.json >out &&
	test_cmp expect out &&
	tagpolicy prune --stdin <skopeo.json >out &&
	test_cmp expect out
'

test_expect_success 'the OCI tags/list answer' '
	sed -e "s/\"Repository\"/\"name\"/" -e "s/\"Tags\"/\"tags\"/" \
		skopeo.json >oci.json &&
	tagpolicy prune - <oci.json >out &&
	test_cmp expect out
'

test_expect_success 'Docker Hub JSON' '
	{
		printf "{\"count\": 24, \"next\": null, \"previous\": null, \"results\": ["
		sep=
		for t in 1.0.0 1.0 1 1.0.0-aaaaaaa 1.1.0 1.1 1.1.0-bbbbbbb \
			1.10.0 1.10 1.10.0-ccccccc 1.9.0 1.9 1.9.0-eeeeeee \
			2.0.0 2.0 2 2.0.0-ddddddd 20261101 20261120 20261127 \
			prod-20261101 prod-20261125 latest tmp_x
		do
			printf "%s{\"name\": \"%s\", \"full_size\": 1234, \"images\": []}" "$sep" "$t"
			sep=", "
		done
		printf "]}\n"
	} >hub.json &&
	tagpolicy prune - <hub.json >out 2>err &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'Docker Hub JSON with more pages: a warning' '
	sed "s|\"next\": null|\"next\": \"https://hub.docker.com/v2/x?page=2\"|" \
		hub.json >hub2.json &&
	tagpolicy prune - <hub2.json >out 2>err &&
	test_cmp expect out &&
	test_grep "warning: the listing says more pages follow" err
'

test_expect_success 'plain lines: comments, blank lines, CRLF, any order' '
	tr -d "{}[]\"," <skopeo.json | tr " " "\n" | grep -v -e : -e "^$" |
		sort -r | sed "s/$/\r/" >lines &&
	{ echo "# tags of ghcr.io/acme/app"; echo; cat lines; } >list &&
	tagpolicy prune - <list >out &&
	test_cmp expect out
'

test_expect_success 'json: delete with the rule, keep with the reason' '
	printf "%s\n" 20261101 20261127 20261120 1.4 1.3 2.0 latest tmp_x \
		prod-20261101 prod-20261126 |
		tagpolicy prune --format json - >out &&
	cat >expect.json <<-\EOF &&
	{"delete":[{"tag":"20261101","kind":"dated","rule":"keep: 2"},{"tag":"prod-20261101","kind":"nightly","rule":"keep-within: 1w"},{"tag":"1.3","kind":"minor","rule":"keep-per: major, keep: 1"}],"keep":[{"tag":"20261127","kind":"dated","reason":"among the 2 newest"},{"tag":"20261120","kind":"dated","reason":"among the 2 newest"},{"tag":"1.4","kind":"minor","reason":"the newest with major '\''1'\''"},{"tag":"2.0","kind":"minor","reason":"the newest with major '\''2'\''"},{"tag":"latest","kind":"latest","reason":"no retention rule for kind '\''latest'\''"},{"tag":"tmp_x","kind":null,"reason":"matches no kind of scope image"},{"tag":"prod-20261126","kind":"nightly","reason":"at most 1w old"}]}
	EOF
	test_cmp expect.json out
'

test_expect_success 'keep-within counts back from SOURCE_DATE_EPOCH' '
	printf "%s\n" prod-20261101 prod-20261120 prod-20261126 >nightly &&
	# 2026-11-27T00:00Z: 20261120 is exactly 7 days old, still kept
	SOURCE_DATE_EPOCH=1795737600 tagpolicy prune - <nightly >out &&
	echo prod-20261101 >expect.n &&
	test_cmp expect.n out &&
	SOURCE_DATE_EPOCH=1795737601 tagpolicy prune - <nightly >out &&
	printf "%s\n" prod-20261120 prod-20261101 >expect.n &&
	test_cmp expect.n out &&
	SOURCE_DATE_EPOCH=1700000000 tagpolicy prune - <nightly >out &&
	test_must_be_empty out
'

test_expect_success 'a tag with an invalid date is kept, with the reason' '
	printf "%s\n" 20261340 20261101 20261102 20261103 |
		tagpolicy prune --format json - >out &&
	test_grep "^{\"delete\":\[{\"tag\":\"20261101\",\"kind\":\"dated\",\"rule\":\"keep: 2\"}\]," out &&
	test_grep "{\"tag\":\"20261340\",\"kind\":\"dated\",\"reason\":\"cannot be ordered: invalid {date} .20261340. in kind .dated.: month 13 is out of range\"}" out
'

test_expect_success 'lines with a NUL byte or invalid UTF-8 are kept' '
	printf "20261101\nbad\000x\n\377\n20261102\n20261103\n" |
		tagpolicy prune --format json - >out &&
	test_grep "\"delete\":\[{\"tag\":\"20261101\",\"kind\":\"dated\",\"rule\":\"keep: 2\"}\]" out &&
	test_grep "\"kind\":null,\"reason\":\"input: " out
'

test_expect_success 'protected kinds are never selected' '
	cat >protect.yml <<-\EOF &&
	version: 1
	extends: [docker]
	rules: {immutable: [error, [release, dated]]}
	retention:
	  dated: {keep: 1}
	  build: {keep: 1}
	EOF
	printf "%s\n" 20261101 20261102 1.0.0-aaaaaaa 1.1.0-bbbbbbb |
		tagpolicy -p protect.yml prune - >out 2>err &&
	echo 1.0.0-aaaaaaa >expect.p &&
	test_cmp expect.p out &&
	test_grep "warning: retention of kind .dated. is ignored: rule .immutable. protects it" err
'

test_expect_success 'no retention, or nothing to delete: empty output, exit 0' '
	printf "version: 1\nextends: [docker]\n" >plain.yml &&
	printf "%s\n" 1.0.0 20261101 |
		tagpolicy -p plain.yml prune - >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	echo "{\"Repository\": \"x\", \"Tags\": null}" |
		tagpolicy prune - >out &&
	test_must_be_empty out &&
	echo "{\"Repository\": \"x\", \"Tags\": null}" |
		tagpolicy prune --format json - >out &&
	echo "{\"delete\":[],\"keep\":[]}" >expect.e &&
	test_cmp expect.e out
'

test_expect_success 'retention of a kind that cannot be ordered is a policy error' '
	cat >bad.yml <<-\EOF &&
	version: 1
	extends: [docker]
	retention:
	  latest: {keep: 1}
	EOF
	echo latest | test_expect_code 2 tagpolicy -p bad.yml prune - \
		>out 2>err &&
	test_must_be_empty out &&
	test_grep "bad.yml:4:.*error: .*kind .latest. has no version or date field" err
'

test_expect_success 'invalid JSON is exit 2 with the place' '
	echo "{\"Tags\": [\"a\",}" | test_expect_code 2 tagpolicy prune - \
		>out 2>err &&
	test_must_be_empty out &&
	test_grep "error: .*invalid JSON: line 1" err
'

test_expect_success 'a bad SOURCE_DATE_EPOCH is exit 2' '
	echo 20261101 | SOURCE_DATE_EPOCH=soon test_expect_code 2 \
		tagpolicy prune - >out 2>err &&
	test_must_be_empty out &&
	test_grep "SOURCE_DATE_EPOCH" err
'

test_expect_success 'usage errors' '
	test_expect_code 2 tagpolicy prune 1.0.0 </dev/null 2>err &&
	test_grep "unexpected argument .1.0.0." err &&
	test_expect_code 2 tagpolicy prune - - </dev/null 2>err &&
	test_expect_code 2 tagpolicy prune --git - </dev/null 2>err &&
	test_grep "reads no standard input" err &&
	test_expect_code 2 tagpolicy prune --format yaml - </dev/null 2>err
'

test_done
