#!/bin/sh
# Run inside the VM (make vm-test): the harness's environment checks, the
# user-mode suite and the kernel-mode suite, against the static binaries in /test.
HERE=$(cd "$(dirname "$0")" && pwd)
rc=0
[ -f "$HERE/guest.sh" ] && { FTRACE=$HERE/ftrace sh "$HERE/guest.sh" || rc=1; }
THUMB=
[ -f "$HERE/thumb" ] && THUMB=$HERE/thumb
FTRACE=$HERE/ftrace CALLS=$HERE/calls THUMB=$THUMB E2E_NO_LIBC=1 sh "$HERE/user.sh" || rc=1
FTRACE=$HERE/ftrace CALLS=$HERE/calls sh "$HERE/kernel.sh" || rc=1
exit $rc
