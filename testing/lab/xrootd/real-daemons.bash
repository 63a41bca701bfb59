# real-daemons.bash: the part of testing/lab/systemctl-shim that drives real XRootD daemons, on the
# servers of `lab up N --xrootd` (marker servers/NAME/real-daemons). The shim sources it then; it uses
# the shim's functions and variables (SD, XD, SERVER, LAB_DIR, lock, read_state, effective, ...).
#
# A transition of a real unit ends in an action phase of its own (activating:inf:exec = launch the
# daemon, deactivating:inf:term = SIGTERM it and wait); a worker completes the plan: it sleeps through
# the fault phases, acts, and ends the action phase. Daemons and workers are started by the server's
# holder process (see testing/lab/lab, holder_loop) through spawn(), so they run in the server's
# namespaces and are reaped as soon as they exit. See testing/lab/README.md, "Real XRootD".
# shellcheck shell=bash
# shellcheck disable=SC2153 # ST_* and the like are set by the shim's functions

XD=$SD/xrootd # the daemons' directories: log run spool admin data
# proc_info PID: PI_STATE (R S D T Z ...) and PI_START (start time in clock ticks); rc 1 when gone
proc_info() {
    local line rest
    local -a f
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
    rest=${line##*) }
    read -r -a f <<<"$rest"
    PI_STATE=${f[0]} PI_START=${f[19]}
}

# daemon_pid UNIT: DPID = the unit's daemon when it runs (rc 0), else DPID=0 (rc 1). Runs means: the
# recorded pid is alive and not a zombie, has the recorded start time and argv[0] /usr/bin/<daemon>.
# A stopped (SIGSTOP, frozen) daemon runs.
daemon_pid() {
    local pid st argv0=
    DPID=0
    [[ -r $SD/units/$1.pid ]] || return 1
    read -r pid st <"$SD/units/$1.pid" || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    proc_info "$pid" || return 1
    [[ $PI_STATE != [ZX] && $PI_START == "$st" ]] || return 1
    { IFS= read -r -d '' argv0 <"/proc/$pid/cmdline"; } 2>/dev/null
    [[ $argv0 == "/usr/bin/${1%%@*}" ]] || return 1
    DPID=$pid
}

# gone PID START: the process has exited (or is a zombie, or the pid was reused)
gone() { ! proc_info "$1" || [[ $PI_STATE == [ZX] || $PI_START != "$2" ]]; }

# wait_gone PID START MS: wait up to MS for the process to exit; rc 1 when it still runs
wait_gone() {
    local pid=$1 st=$2 end
    now_ms
    end=$((NOW + $3))
    while ! gone "$pid" "$st"; do
        now_ms
        ((NOW < end)) || return 1
        sleep 0.02
    done
}

stop_timeout_ms() { # TimeoutStopSec of the real daemons -> REPLY (ms)
    local s=10
    [[ -r $LAB_DIR/xrootd/stop-timeout ]] && read -r s <"$LAB_DIR/xrootd/stop-timeout"
    sec_to_ms "$s" || REPLY=10000
}

# spawn JOB...: ask the server's holder to start `__spawned` with JOB (see the header); SPAWNED=pid
spawn() {
    local id f end pid=
    SPAWNED=0
    new_token
    id=$REPLY
    f=$SD/spawn/$id
    printf '%s\n' "$*" >"$f"
    # opened read-write, a fifo never blocks (a write-only open would wait for a reader forever when
    # the holder is gone); the line is atomic (< PIPE_BUF)
    local fd
    if ! { exec {fd}<>"$SD/spawn.fifo"; } 2>/dev/null; then
        rm -f "$f"
        echo "$PROG: lab server $SERVER: no spawn.fifo (not a --xrootd lab server?)" >&2
        return 1
    fi
    printf '%s\n' "$id" >&"$fd"
    exec {fd}>&-
    now_ms
    end=$((NOW + 5000))
    while :; do
        if [[ -s $f.pid ]]; then read -r pid <"$f.pid" && [[ -n $pid ]] && break; fi
        now_ms
        if ((NOW >= end)); then
            rm -f "$f"
            echo "$PROG: lab server $SERVER: its holder process did not start $* (is the server up?)" >&2
            return 1
        fi
        sleep 0.005
    done
    rm -f "$f.pid"
    SPAWNED=$pid
}

# launch_daemon UNIT (under the lock): start the daemon through the holder, record its pid, wait until
# it has exec'd the daemon (at most 2 s). DPID = its pid (0 when it died at once).
launch_daemon() {
    local u=$1 pid i
    DPID=0
    spawn launch "${u%%@*}" "${u#*@}" || return 1
    pid=$SPAWNED
    if proc_info "$pid"; then
        printf '%s %s\n' "$pid" "$PI_START" >"$SD/units/$u.pid.tmp.$$" && mv -f "$SD/units/$u.pid.tmp.$$" "$SD/units/$u.pid"
    fi
    for ((i = 0; i < 200; i++)); do
        daemon_pid "$u" && return 0
        { proc_info "$pid" && [[ $PI_STATE != [ZX] ]]; } || return 0
        sleep 0.01
    done
}

# term_daemon UNIT: SIGTERM (+ SIGCONT, as systemd sends, so a stopped daemon can exit) and wait up to
# the stop timeout, then SIGKILL. Called without the lock. rc 0 exited, 2 needed SIGKILL.
term_daemon() {
    local u=$1 pid st
    daemon_pid "$u" || return 0
    pid=$DPID
    read -r _ st <"$SD/units/$u.pid"
    stop_timeout_ms
    kill -s TERM "$pid" 2>/dev/null
    kill -s CONT "$pid" 2>/dev/null
    # a stop timeout of 0 means SIGKILL right after SIGTERM (for tests; unlike systemd's "no timeout")
    if ((REPLY > 0)) && wait_gone "$pid" "$st" "$REPLY"; then return 0; fi
    kill -s KILL "$pid" 2>/dev/null
    wait_gone "$pid" "$st" 5000
    return 2
}

# kill_daemon UNIT: SIGKILL and wait (at most 2 s) until it is gone
kill_daemon() {
    local st
    daemon_pid "$1" || return 0
    read -r _ st <"$SD/units/$1.pid"
    kill -s KILL "$DPID" 2>/dev/null
    wait_gone "$DPID" "$st" 2000
}

# end_phase [FINAL]: under the lock, after read_state + effective: the current phase ends now
# (its duration becomes the time it took); FINAL replaces the plan's final state.
end_phase() {
    local i st dur k final=${1:-$ST_FINAL}
    local -a ph=()
    now_ms
    for ((i = 0; i < ${#ST_PHASES[@]}; i++)); do
        IFS=: read -r st dur k <<<"${ST_PHASES[i]}"
        ((i == PHASE_IDX)) && dur=$((NOW - PHASE_BEGIN))
        ph+=("$st:$dur:$k")
    done
    write_state "$U" "$ST_TOKEN" "$ST_VERB" "$final" "$ST_RESULT" "$ST_START" "${ph[@]}"
}

# worker UNIT TOKEN: complete the plan TOKEN of a real unit (runs as a child of the holder)
worker() {
    local u=$1 token=$2 kind rc left
    U=$u
    while :; do
        lock
        now_ms
        read_state "$u"
        if [[ $ST_TOKEN != "$token" ]]; then unlock; return 0; fi
        effective
        if ((SETTLED)); then unlock; return 0; fi
        IFS=: read -r _ _ kind <<<"${ST_PHASES[PHASE_IDX]}"
        case $kind in
            exec)
                daemon_pid "$u" || launch_daemon "$u"
                end_phase
                unlock ;;
            term)
                unlock
                term_daemon "$u"
                rc=$?
                lock
                now_ms
                read_state "$u"
                if [[ $ST_TOKEN != "$token" ]]; then unlock; return 0; fi
                effective
                IFS=: read -r _ _ kind <<<"${ST_PHASES[PHASE_IDX]:-::}"
                if ((!SETTLED)) && [[ $kind == term ]]; then
                    # a stop that needed SIGKILL leaves the unit failed, as systemd's stop timeout does
                    if ((rc == 2)) && [[ $ST_VERB == stop ]]; then end_phase failed; else end_phase; fi
                fi
                unlock ;;
            *)
                unlock
                # a delay or a hang: sleep until the phase ends, looking again now and then (clear, kill)
                IFS=: read -r _ left _ <<<"${ST_PHASES[PHASE_IDX]}"
                if [[ $left == inf ]]; then left=200; else left=$((PHASE_BEGIN + left - NOW)); fi
                ((left > 200)) && left=200
                ((left < 1)) && left=1
                sleep "$(printf '0.%03d' "$left")" ;;
        esac
    done
}

# start_worker UNIT TOKEN: through the holder (a process without a holder would end as a zombie)
start_worker() {
    spawn worker "$1" "$2" && return 0
    XRL_LAB_DIR=$LAB_DIR XRL_SERVER=$SERVER XRL_NOLOG=1 setsid -f /bin/bash "$SHIM_PATH" __worker "$1" "$2" \
        </dev/null >/dev/null 2>&1
}

# real_internal VERB ARGS: the shim's internal verbs for real daemons
real_internal() {
    local verb=$1 u
    shift
    case $verb in
        __launch)
            # __launch UNIT...: lab up --xrootd starts the real daemons, in this order; the units are active
            for U in "$@"; do
                is_real "$U" || { echo "not a real unit: $U" >&2; return 2; }
                lock
                daemon_pid "$U" || launch_daemon "$U" || { unlock; return 1; }
                now_ms
                new_token
                write_state "$U" "$REPLY" init active ok "$NOW"
                unlock
                daemon_pid "$U" || { echo "$SERVER: $U exited at once (see $XD/log)" >&2; return 1; }
            done ;;
        __spawned)
            # run by the server's holder (see spawn): launch a daemon, be a worker, or queue a verb
            local id=$1 job
            [[ -r $SD/spawn/$id ]] || return 2
            read -r -a job <"$SD/spawn/$id"
            rm -f "$SD/spawn/$id"
            case ${job[0]} in
                launch)
                    # the Debian unit's command line, as user xrootd, in the working directory spool
                    local d=${job[1]} inst=${job[2]}
                    ulimit -n 65536 2>/dev/null
                    exec setsid env -i -C "$XD/spool" PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
                        setpriv --reuid=xrootd --regid=xrootd --init-groups -- \
                        "/usr/bin/$d" -l "$XD/log/$d.log" -c "/etc/xrootd/xrootd-$inst.cfg" -k fifo \
                        -s "$XD/run/$d-$inst.pid" -n "$inst" </dev/null >>"$XD/log/$d.out" 2>&1 ;;
                worker) worker "${job[1]}" "${job[2]}" ;;
                verb) exec /bin/bash "$SHIM_PATH" "${job[1]}" "${job[2]}.service" ;;
                *) return 2 ;;
            esac ;;
        __worker) worker "$1" "$2" ;;
    esac
}
