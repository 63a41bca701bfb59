// The status page of xrootdrestart: reads /status and draws it. Read only; no framework, no build step.
//
// It polls /status (every 2 s, every second while a restart is under way, not at all while the tab is
// hidden) rather than holding a server-sent event stream open: the daemon's HTTP server has 5 threads,
// shared with Prometheus' scrapes, and each open stream would hold one; a poll also passes any reverse
// proxy unchanged and picks up a restarted daemon by itself. Elapsed times and time left tick every
// second in between, from the times in the last answer.
//
// Every text from the daemon (Ansible's messages, paths, server names) goes in with textContent, never
// as HTML.
'use strict';

(function () {
  const IDLE_POLL_MS = 2000;
  const BUSY_POLL_MS = 1000;
  const TIMEOUT_MS = 5000;
  const STEP_NAMES = {
    drain: 'drain: stop cmsd',
    wait: 'wait for clients',
    cycle: 'cycle: stop xrootd, start xrootd, start cmsd, each verified',
    kill: 'kill: SIGKILL a unit that will not stop',
    restore: 'restore: start what is not active',
    reboot: 'reboot (escalate_reboot)'
  };
  const PLANNED = ['drain', 'wait', 'cycle'];

  let last = null; // the last answer of /status
  let offsetMs = 0; // the daemon's clock minus this browser's
  let lastOk = null; // when /status last answered
  let failing = null; // why the last poll failed
  let selected = null; // the timeline bar shown in the details: "rotation|server|start"
  let shownSignature = null; // what the page shows, so that it is redrawn only when that changes
  let timer = null;

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const now = () => Date.now() + offsetMs;
  const ms = (iso) => (iso ? Date.parse(iso) : NaN);

  function duration(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) return '?';
    const s = Math.max(0, seconds);
    if (s < 10) return s.toFixed(1) + ' s';
    if (s < 60) return Math.round(s) + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + (Math.round(s) % 60) + ' s';
    const h = Math.floor(m / 60);
    if (h < 48) return h + ' h ' + (m % 60) + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  // A time in this browser's zone; with the date when it is not today.
  function clock(iso, withSeconds) {
    const d = new Date(iso);
    const opts = { hour: '2-digit', minute: '2-digit' };
    if (withSeconds !== false) opts.second = '2-digit';
    if (!sameDay(d, new Date(now()))) {
      opts.month = 'short';
      opts.day = 'numeric';
    }
    return d.toLocaleString(undefined, opts);
  }

  // A <time> whose datetime is valid HTML: the daemon's times may carry nanoseconds, HTML takes milliseconds.
  function time(iso, withSeconds) {
    const exact = new Date(iso).toISOString();
    return el('time', { datetime: exact, title: exact }, clock(iso, withSeconds));
  }

  // "in 5 min" or "3 min ago", kept current by tick(). A slot (due) that has come is "due now": the
  // daemon checks health before the restart starts.
  function relative(iso, due) {
    return el('span', { class: 'relative', 'data-relative': iso, 'data-due': due ? 'yes' : null }, relativeText(iso, due));
  }

  function relativeText(iso, due) {
    const d = (ms(iso) - now()) / 1000;
    if (due && d < 1) return 'due now';
    if (Math.abs(d) < 1) return 'now';
    return d > 0 ? 'in ' + duration(d) : duration(-d) + ' ago';
  }

  // Seconds since iso, or until it: texts that tick.
  function since(iso) {
    return el('span', { class: 'ticking', 'data-since': iso }, duration((now() - ms(iso)) / 1000));
  }

  function left(iso) {
    return el('span', { class: 'ticking', 'data-until': iso }, duration((ms(iso) - now()) / 1000));
  }

  function tick() {
    for (const e of document.querySelectorAll('[data-since]')) e.textContent = duration((now() - ms(e.dataset.since)) / 1000);
    for (const e of document.querySelectorAll('[data-until]')) e.textContent = duration((ms(e.dataset.until) - now()) / 1000);
    for (const e of document.querySelectorAll('[data-relative]')) e.textContent = relativeText(e.dataset.relative, e.dataset.due);
    place();
    connection();
  }

  function connection() {
    const c = $('connection');
    if (failing) {
      c.className = 'connection down';
      c.textContent = 'No answer from the daemon' + (lastOk ? ' since ' + clock(new Date(lastOk + offsetMs).toISOString()) : '')
        + ' (' + failing + '); retrying.';
    } else if (lastOk) {
      c.className = 'connection up';
      c.textContent = 'Live: updated ' + clock(new Date(lastOk + offsetMs).toISOString()) + '.';
    }
  }

  // ---- the parts of a rotation ----

  function guard(r) {
    const parts = [];
    if (r.paused) {
      parts.push(el('p', { class: 'guard paused', 'data-guard': 'paused' }, el('strong', {}, 'Paused'),
        r.paused.since ? [' since ', time(r.paused.since), ' (', relative(r.paused.since), ')'] : '',
        r.paused.reason ? ': ' + r.paused.reason : '', '. No restart starts until it is resumed.'));
    }
    const g = r.guard;
    if (!g) {
      parts.push(el('p', { class: 'guard unknown', 'data-guard': 'unknown' }, el('strong', {}, 'Guard not asked yet'),
        ': the daemon asks it before each restart.'));
    } else if (g.decision === 'proceed') {
      parts.push(el('p', { class: 'guard proceed', 'data-guard': 'proceed' }, el('strong', {}, 'Proceeding'),
        ': ', g.target, ' went ahead, ', g.reason, ' (', time(g.at), ').'));
    } else {
      parts.push(el('p', { class: 'guard hold', 'data-guard': 'hold' }, el('strong', {}, 'Held'),
        ': not restarting ', g.target, ': ', el('span', { class: 'reason' }, g.reason), ' (', time(g.at),
        '). The guard asks again at the next slot.'));
    }
    const excluded = r.excluded || [];
    if (excluded.length) {
      parts.push(el('div', { class: 'excluded', 'data-guard': 'excluded' }, el('strong', {}, 'Excluded from the rotation:'),
        el('ul', {}, excluded.map((x) => el('li', {}, x.server,
          x.until ? [' until ', time(x.until), ' (', relative(x.until), ')'] : ' until taken back',
          x.reason ? ': ' + x.reason : '')))));
    }
    return parts;
  }

  function stepLabel(s) {
    return s.step === 'wait' ? 'wait for clients (cmsd_wait)' : (STEP_NAMES[s.step] || s.step);
  }

  function nowPanel(r) {
    const panel = el('div', { class: 'now', 'data-part': 'now' }, el('h3', {}, 'Now'));
    const x = r.restart;
    if (!x) {
      const next = (r.next_slots || [])[0];
      panel.append(el('p', { 'data-step': 'idle' }, 'No restart under way.',
        next ? [' Next: ', el('strong', {}, next.server), ' at ', time(next.time), ' (', relative(next.time, true), ').'] : ''));
      return panel;
    }
    const steps = x.steps || [];
    const cur = steps.length && !steps[steps.length - 1].finished ? steps[steps.length - 1] : null;
    let doing;
    if (!cur) doing = 'between steps';
    else if (cur.step === 'wait') {
      doing = cur.open_files !== undefined && cur.open_files !== null
        ? ['waiting for clients: ', String(cur.open_files), ' open files left']
        : ['waiting for clients: ', left(cur.until), ' left'];
    } else doing = [stepLabel(cur)];
    panel.append(el('p', { class: 'current' }, 'Restarting ', el('strong', { 'data-server': x.server }, x.server),
      ' for ', since(x.started), ': ',
      el('span', { class: 'step', 'data-step': cur ? cur.step : 'between' }, doing), '.'));
    const rows = steps.map((s) => el('li', { class: s.finished ? 'done' : 'active', 'data-step-row': s.step },
      el('span', { class: 'step-name' }, stepLabel(s)), ' ',
      s.finished
        ? el('span', { class: 'step-time' }, duration((ms(s.finished) - ms(s.started)) / 1000),
          s.outcome ? ', ' + s.outcome : '')
        : el('span', { class: 'step-time' }, since(s.started), s.step === 'wait' && s.until ? [' of ',
          duration((ms(s.until) - ms(s.started)) / 1000)] : '', ' so far')));
    const seen = new Set(steps.map((s) => s.step));
    for (const p of PLANNED) {
      if (!seen.has(p) && !seen.has('restore')) rows.push(el('li', { class: 'todo' }, el('span', { class: 'step-name' }, stepLabel({ step: p })), ' (to come)'));
    }
    panel.append(el('ol', { class: 'steps' }, rows));
    return panel;
  }

  function outcomeClass(o) {
    if (o === 'success') return 'ok';
    if (o === 'failed' || o === 'stuck') return 'bad';
    if (o === 'unreachable') return 'warn';
    if (o === 'in progress') return 'busy';
    return 'other';
  }

  function restartSummary(x) {
    if (!x) return 'none recorded';
    return [time(x.started), ' ', el('span', { class: 'outcome ' + outcomeClass(x.outcome) }, x.outcome),
      x.duration_seconds !== null && x.duration_seconds !== undefined ? ' in ' + duration(x.duration_seconds) : ''];
  }

  function serversTable(r) {
    const excluded = new Set((r.excluded || []).map((x) => x.server));
    const body = (r.servers || []).map((s, i) => {
      let health;
      if (s.restarting) health = el('span', { class: 'health busy' }, 'restarting now');
      else if (!s.health) health = el('span', { class: 'health unknown' }, 'not checked yet');
      else if (s.health.healthy) health = el('span', { class: 'health ok' }, 'healthy');
      else health = el('span', { class: 'health bad' }, 'unhealthy: ', s.health.text);
      const lr = s.last_restart;
      return el('tr', { 'data-server': s.name, class: excluded.has(s.name) ? 'excluded' : null },
        el('td', { 'data-label': '#' }, String(i + 1)),
        el('th', { scope: 'row', 'data-label': 'Server' }, s.name, excluded.has(s.name) ? ' (excluded)' : ''),
        el('td', { 'data-label': 'Health' }, health, s.needs_restore ? el('div', { class: 'health warn' }, 'restore pending') : ''),
        el('td', { 'data-label': 'Last restart' }, restartSummary(lr),
          lr && lr.message ? el('div', { class: 'message' }, lr.message) : ''),
        el('td', { 'data-label': 'Next slot' }, s.next_slot ? [time(s.next_slot), ' ', relative(s.next_slot, true)] : '-'));
    });
    return el('table', { class: 'servers' },
      el('caption', {}, 'Servers in restart order; health as last checked',
        r.health_checked ? [' (', time(r.health_checked), ')'] : ' (not yet)', '.'),
      el('thead', {}, el('tr', {}, ['#', 'Server', 'Health', 'Last restart', 'Next slot'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, body));
  }

  function slots(r) {
    return el('ol', { class: 'slots' }, (r.next_slots || []).map((s) =>
      el('li', {}, time(s.time), ' ', el('strong', {}, s.server), ' ', relative(s.time, true))));
  }

  // ---- the timeline ----

  function windowMs() {
    return Number($('window').value) * 3600 * 1000;
  }

  function pct(x) {
    return (Math.round(x * 1000) / 1000) + '%';
  }

  function describe(x) {
    const parts = [x.server + ' ' + x.outcome + ', started ' + clock(x.started)];
    if (x.duration_seconds !== null && x.duration_seconds !== undefined) parts.push('took ' + duration(x.duration_seconds));
    else if (x.outcome !== 'in progress') parts.push('duration not known (before this daemon started)');
    const steps = (x.steps || []).map((s) => s.step + ' ' + (s.finished ? duration((ms(s.finished) - ms(s.started)) / 1000) : 'under way'));
    if (steps.length) parts.push(steps.join(', '));
    if (x.failed_step) parts.push('failed at ' + x.failed_step);
    if (x.message) parts.push(x.message);
    if (x.run_dir) parts.push('run record: ' + x.run_dir);
    return parts.join('; ');
  }

  function bar(rot, x, end) {
    const start = ms(x.started);
    const stop = x.finished ? ms(x.finished) : (x.outcome === 'in progress' ? null : start);
    const key = rot + '|' + x.server + '|' + x.started;
    const b = el('button', {
      type: 'button',
      class: 'bar ' + outcomeClass(x.outcome) + (x.finished || x.outcome === 'in progress' ? '' : ' unknown'),
      title: describe(x),
      'data-outcome': x.outcome,
      'data-key': key,
      'data-start': start,
      'data-stop': stop === null ? 'now' : stop,
      'aria-label': describe(x),
      onclick: () => show(key, x),
      onmouseenter: () => show(key, x),
      onfocus: () => show(key, x)
    });
    const total = ((stop === null ? end : stop) - start) / 1000;
    for (const s of x.steps || []) {
      const d = ((s.finished ? ms(s.finished) : end) - ms(s.started)) / 1000;
      const seg = el('span', { class: 'seg seg-' + s.step, 'data-seg': s.step });
      seg.style.flexGrow = String(Math.max(d, total / 50, 0.001));
      b.append(seg);
    }
    return b;
  }

  // Puts the bars and the axis where the time window is now: on each render and each second.
  function place() {
    const end = now();
    const span = windowMs();
    const from = end - span;
    for (const b of document.querySelectorAll('.bar[data-start]')) {
      const start = Number(b.dataset.start);
      const stop = b.dataset.stop === 'now' ? end : Number(b.dataset.stop);
      const l = Math.max(0, (start - from) / span * 100);
      const w = Math.max(0, (stop - Math.max(start, from)) / span * 100);
      b.hidden = stop < from;
      // Never past the right edge, however narrow the screen: a bar is at least 14 px wide.
      b.style.width = 'max(' + pct(w) + ', 14px)';
      b.style.left = 'min(' + pct(l) + ', calc(100% - max(' + pct(w) + ', 14px)))';
    }
    for (const t of document.querySelectorAll('.axis .tick')) {
      const opts = { hour: '2-digit', minute: '2-digit' };
      if (span < 2 * 3600 * 1000) opts.second = '2-digit';
      t.textContent = new Date(from + span * Number(t.dataset.frac)).toLocaleTimeString(undefined, opts);
    }
  }

  function show(key, x) {
    selected = key;
    const d = document.querySelector('[data-detail="' + key.split('|')[0] + '"]');
    if (d) fillDetail(d, x);
  }

  function fillDetail(d, x) {
    d.replaceChildren(
      el('strong', {}, x.server), ' ', el('span', { class: 'outcome ' + outcomeClass(x.outcome) }, x.outcome), ', ',
      time(x.started), x.duration_seconds !== null && x.duration_seconds !== undefined ? ', ' + duration(x.duration_seconds) : '',
      (x.steps || []).length ? el('ul', { class: 'detail-steps' }, x.steps.map((s) => el('li', {}, stepLabel(s), ': ',
        s.finished ? duration((ms(s.finished) - ms(s.started)) / 1000) : 'under way', s.outcome ? ', ' + s.outcome : ''))) : '',
      x.failed_step ? el('p', {}, 'Failed at ', el('code', {}, x.failed_step)) : '',
      x.message ? el('p', { class: 'message', 'data-detail-message': '' }, x.message) : '',
      x.run_dir ? el('p', {}, 'Run record: ', el('code', { 'data-detail-run': '' }, x.run_dir)) : '',
      !x.finished && x.outcome !== 'in progress' ? el('p', {}, 'Known from the state file only: this daemon started after it.') : '');
  }

  function timeline(r) {
    const end = now();
    const from = end - windowMs();
    const all = (r.timeline || []).concat(r.restart ? [Object.assign({ outcome: 'in progress' }, r.restart)] : []);
    const shown = all.filter((x) => (x.finished ? ms(x.finished) : (x.outcome === 'in progress' ? end : ms(x.started))) >= from);
    const axis = el('div', { class: 'axis', 'aria-hidden': 'true' });
    for (let i = 0; i <= 4; i++) {
      const label = el('span', { class: 'tick', 'data-frac': i / 4 });
      label.style.left = pct(i * 25);
      axis.append(label);
    }
    const rows = (r.servers || []).map((s) => el('div', { class: 'tl-row', 'data-server': s.name },
      el('span', { class: 'tl-name' }, s.name),
      el('div', { class: 'tl-track' }, all.filter((x) => x.server === s.name).map((x) => bar(r.name, x, end)))));
    const detail = el('div', { class: 'detail', 'data-detail': r.name, 'aria-live': 'polite' },
      'Hover over or tap a bar for its steps, message and run record.');
    const chosen = selected && selected.startsWith(r.name + '|') ? all.find((x) => r.name + '|' + x.server + '|' + x.started === selected) : null;
    if (chosen) fillDetail(detail, chosen);
    const legend = el('p', { class: 'legend' }, 'Bars: ',
      [['ok', 'success'], ['bad', 'failed or stuck'], ['warn', 'unreachable'], ['other', 'interrupted'], ['busy', 'under way']]
        .map(([c, t]) => el('span', { class: 'key ' + c }, t)),
      ' Inside a bar, the dark parts are the drain (first) and the cycle (last); the light part between is the wait.');
    return el('div', { class: 'timeline', 'data-part': 'timeline' },
      el('div', { class: 'tl-head' }, el('span', { class: 'tl-name' }), axis), rows, legend, detail,
      shown.length ? '' : el('p', {}, 'No restart in this window.'));
  }

  function rotation(r, cluster) {
    const n = (r.servers || []).length;
    return el('section', { class: 'rotation', 'data-rotation': r.name, 'aria-label': 'Rotation ' + r.name },
      el('h2', {}, 'Rotation ', el('code', {}, r.name)),
      el('p', { class: 'settings' }, n + ' server' + (n === 1 ? '' : 's') + ' of cluster ' + cluster + ', one restart every '
        + duration(r.interval_seconds) + ', each server once every ' + duration(r.period_seconds) + '; cmsd_wait '
        + duration(r.cmsd_wait_seconds) + '; min_ok ' + r.min_ok + '.'),
      guard(r),
      nowPanel(r),
      el('h3', {}, 'Servers'),
      serversTable(r),
      el('h3', {}, 'Next slots'),
      slots(r),
      el('h3', {}, 'Restarts in the last ' + $('window').selectedOptions[0].textContent),
      timeline(r));
  }

  function alerts(list) {
    $('alerts').hidden = list.length === 0;
    $('alert-list').replaceChildren(...list.map((a) => el('li', { 'data-alert': a.name },
      el('strong', {}, a.name), a.node ? ' on ' + a.node : '', ', firing for ', since(a.since), ' (since ', time(a.since), ')',
      a.summary ? el('div', {}, a.summary) : '',
      a.description ? el('div', { class: 'message' }, a.description) : '',
      a.run_dir ? el('div', {}, 'Run record: ', el('code', {}, a.run_dir)) : '')));
  }

  function render() {
    if (!last) return;
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    $('cluster').textContent = last.cluster ? '· ' + last.cluster : '';
    document.title = 'xrootdrestart' + (last.cluster ? ': ' + last.cluster : '') + (busy() ? ' (restarting ' + last.rotations.filter((r) => r.restart).map((r) => r.restart.server).join(', ') + ')' : '');
    alerts(last.alerts || []);
    $('rotations').replaceChildren(...(last.rotations || []).map((r) => rotation(r, last.cluster)));
    place();
    if (focused) {
      const again = document.querySelector('[data-key="' + CSS.escape(focused) + '"]');
      if (again) again.focus({ preventScroll: true });
    }
    connection();
  }

  function busy() {
    return !!(last && last.rotations && last.rotations.some((r) => r.restart));
  }

  async function poll() {
    clearTimeout(timer);
    if (document.hidden) return; // visibilitychange polls again
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), TIMEOUT_MS);
    try {
      const res = await fetch('status', { cache: 'no-store', signal: ctl.signal, headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const data = await res.json();
      if (!Array.isArray(data.rotations)) throw new Error('/status has no rotations (is this xrootdrestart run?)');
      offsetMs = ms(data.now) - Date.now();
      last = data;
      lastOk = Date.now();
      failing = null;
      // Redrawn only when something changed, so that a selection or a tap survives the polls; times
      // tick and bars move each second without a redraw.
      const signature = JSON.stringify(data, (k, v) => (k === 'now' || k === 'timeline_from' ? undefined : v));
      if (signature !== shownSignature) {
        shownSignature = signature;
        render();
      } else {
        connection();
      }
    } catch (e) {
      failing = e.name === 'AbortError' ? 'timed out' : e.message;
      connection();
    } finally {
      clearTimeout(t);
      timer = setTimeout(poll, busy() ? BUSY_POLL_MS : IDLE_POLL_MS);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('zone').textContent = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
    $('window').addEventListener('change', render);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) poll(); });
    setInterval(tick, 1000);
    poll();
  });
})();
