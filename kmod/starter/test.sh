#!/bin/sh
# The course's tests, as TAP, against your loaded driver:  sh test.sh [-n BUFFERS]
# (BUFFERS: per process in the burst stress test; the default is 2000.)
here=$(cd "$(dirname "$0")" && pwd)
if ! make -s -C "$here/tests" pm2ref-tests >/tmp/pm2-tests-build.log 2>&1; then
	echo "1..1"
	echo "not ok 1 - the test programs build"
	sed 's/^/# /' /tmp/pm2-tests-build.log
	exit 1
fi
if [ ! -c /dev/pm2ref0 ]; then
	echo "1..1"
	echo "not ok 1 - /dev/pm2ref0 exists (Build and Load your driver first)"
	exit 1
fi
[ $# -gt 0 ] || set -- -n 2000
exec "$here/tests/pm2ref-tests" -o "$here/out" "$@"
