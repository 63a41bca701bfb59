#!/bin/sh
# Dummy XRootD daemon for xrootdrestart tests, installed by testing/xrootd-service/install.yml.
# Usage: dummy-daemon NAME INSTANCE
# Idles until SIGTERM, then takes a random DUMMY_STOP_MIN..DUMMY_STOP_MAX seconds (default 10..30)
# to exit, like a busy cmsd or xrootd letting its clients finish. POSIX sh; logs to stdout.
name=${1:-dummy}
instance=${2:-default}
min=${DUMMY_STOP_MIN:-10}
max=${DUMMY_STOP_MAX:-30}
child=

on_term() {
    trap '' TERM
    [ -n "$child" ] && kill "$child" 2>/dev/null
    delay=$(shuf -i "$min-$max" -n 1)
    echo "$name@$instance: SIGTERM received, exiting in $delay s"
    sleep "$delay"
    echo "$name@$instance: exiting"
    exit 0
}

trap on_term TERM
echo "$name@$instance: running as $(id -un), pid $$"
while :; do
    # sleep in the background and wait: a trap runs as soon as the signal arrives
    sleep 3600 &
    child=$!
    wait "$child"
done
