#!/bin/sh
# Build the reference driver and the user programs, then run every test as TAP:
# load, the driver's own tests (pm2ref-tests), insmod/rmmod cycles, hot-unplug, kernel log check.
#   sh run-tests.sh [-n BUFFERS]   (from kmod/tests in the guest)
# PM2REF_PREBUILT=REASON skips the two builds (the course tests build on the host against the kernel's own tree).
set -u
here=$(cd "$(dirname "$0")" && pwd)
ref="$here/../reference"
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
check() { desc=$1; shift; if "$@" >/tmp/pm2ref-check.log 2>&1; then ok "$desc"; else notok "$desc"; sed 's/^/# /' /tmp/pm2ref-check.log | tail -20; fi; }

echo "TAP version 13"
dmesg -C 2>/dev/null
rmmod pm2ref 2>/dev/null
if [ -n "${PM2REF_PREBUILT:-}" ]; then	# built outside the guest, against this kernel's own tree
	ok "kbuild the reference driver # SKIP $PM2REF_PREBUILT"
	ok "build the user programs # SKIP $PM2REF_PREBUILT"
else
	check "kbuild the reference driver" make -C "$ref"
	check "build the user programs" make -C "$here"
fi
check "insmod pm2ref.ko" insmod "$ref/pm2ref.ko"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/pm2ref0 ] && break; sleep 0.2; done
check "/dev/pm2ref0 appears" test -c /dev/pm2ref0

echo "# pm2ref-tests"
"$here/pm2ref-tests" "$@" > /tmp/pm2ref-tests.tap 2>&1
st=$?
sed 's/^/    /' /tmp/pm2ref-tests.tap
if [ $st -eq 0 ]; then ok "pm2ref-tests ($(grep -c '^ok' /tmp/pm2ref-tests.tap) passed)"; else notok "pm2ref-tests ($(grep -c '^not ok' /tmp/pm2ref-tests.tap) failed)"; fi

check "tri-bench 20000 triangles of height 20" "$here/tri-bench" -n 20000 -h 20
check "tri-bench 2000 triangles of height 100 by copy" "$here/tri-bench" -n 2000 -h 100 -c

cycles_ok=1
for i in 1 2 3 4 5; do
	rmmod pm2ref || { cycles_ok=0; break; }
	insmod "$ref/pm2ref.ko" || { cycles_ok=0; break; }
	for j in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/pm2ref0 ] && break; sleep 0.2; done
	"$here/tri-bench" -q -n 500 -h 20 >/dev/null || { cycles_ok=0; break; }
done
if [ $cycles_ok = 1 ]; then ok "5 rmmod/insmod cycles, drawing after each"; else notok "rmmod/insmod cycles (cycle $i)"; fi

# hot-unplug while a process has the device open and mapped: remove() runs, the file gets ENODEV,
# its mappings SIGBUS (pm2ref-tests -u); re-plugged, the card draws again
if [ -e /sys/module/vgpu ]; then
	fifo=/tmp/pm2ref-hold.$$
	rm -f "$fifo" "$fifo.out"
	mkfifo "$fifo"
	"$here/pm2ref-tests" -u <"$fifo" >"$fifo.out" 2>&1 &
	holder=$!
	exec 3>"$fifo"		# the holder's input: it waits for its end
	for j in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do grep -q '^held' "$fifo.out" && break; sleep 0.2; done
	if rmmod vgpu && modprobe vgpu; then replugged=1; else replugged=0; fi
	exec 3>&-
	wait $holder
	held=$?
	sed 's/^/# /' "$fifo.out"
	rm -f "$fifo" "$fifo.out"
	if [ $held = 0 ]; then ok "hot-unplug with the device open and mapped: ENODEV, SIGBUS on both mappings"; else notok "hot-unplug with the device open and mapped (status $held)"; fi
	if [ $replugged = 1 ]; then
		for j in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/pm2ref0 ] && break; sleep 0.2; done
		check "re-plug, draw again" "$here/tri-bench" -q -n 500 -h 20
	else
		notok "hot-unplug (rmmod vgpu / modprobe vgpu)"
	fi
fi

check "rmmod pm2ref" rmmod pm2ref
if dmesg | grep -E -q 'WARNING|BUG|Oops|INFO: task|general protection'; then
	notok "kernel log has no warnings"
	dmesg | grep -E -A5 'WARNING|BUG|Oops|INFO: task' | head -40 | sed 's/^/# /'
else
	ok "kernel log has no warnings"
fi
dmesg | grep pm2ref | tail -8 | sed 's/^/# /'
echo "1..$n"
[ $fail -eq 0 ]
