#!/usr/bin/env python3
"""Independent reader for ftrace's machine output (tests/e2e/output.sh).

  outcheck.py json FILE PID N REGS RET LIB FUNC OFFSET
      JSON lines of N calls of FUNC by PID: every line parses, N entries with
      the known registers (REGS "di=0x11, si=0x22"), N returns with RET and a
      duration, gaps null only on the first entry, one summary record.
  outcheck.py perfetto FILE CALLS DEPTH UNFINISHED
      Chrome trace: parses, B/E balanced per thread, CALLS slices, deepest
      nesting DEPTH, UNFINISHED slices ended by ftrace (marked), timestamps
      never go backwards on a thread, tracks named.
Prints one line per failed check; exit status 1 if any.
"""
import json
import sys

fails = []


def check(cond, what):
    if not cond:
        fails.append(what)


def jsonl(path, pid, n, regs, ret, lib, func, offset):
    recs = []
    with open(path, 'rb') as f:
        for i, raw in enumerate(f):
            try:
                recs.append(json.loads(raw.decode('utf-8')))
            except (UnicodeDecodeError, ValueError) as e:
                fails.append('line %d is not JSON: %s' % (i + 1, e))
    want_regs = dict(kv.split('=') for kv in regs.split(', '))
    ent = [r for r in recs if r.get('type') == 'entry']
    rets = [r for r in recs if r.get('type') == 'return']
    summ = [r for r in recs if r.get('type') == 'summary']
    check(len(ent) == n, 'entries: %d, want %d' % (len(ent), n))
    check(len(rets) == n, 'returns: %d, want %d' % (len(rets), n))
    check(len(summ) == 1 and recs[-1].get('type') == 'summary', 'one summary, last')
    if summ:
        s = summ[0]
        check(s.get('events') == 2 * n, 'summary events %r' % s.get('events'))
        check(s.get('lost') == 0, 'summary lost %r' % s.get('lost'))
        check(s.get('stopped') == 'process exited', 'stopped %r' % s.get('stopped'))
    for r in ent + rets:
        for k, v in (('pid', pid), ('tid', pid), ('lib', lib), ('func', func),
                     ('offset', offset), ('comm', 'calls')):
            check(r.get(k) == v, '%s %r, want %r' % (k, r.get(k), v))
        check(isinstance(r.get('ts_ns'), int) and r['ts_ns'] > 0, 'ts_ns')
        check(r.get('depth') == 1, 'depth %r' % r.get('depth'))
    for i, r in enumerate(ent):
        got = {k: r['regs'].get(k) for k in want_regs}
        check(got == want_regs, 'entry %d regs %r' % (i, got))
        gap = r.get('gap_ns')
        check(gap is None if i == 0 else isinstance(gap, int) and gap > 0,
              'entry %d gap_ns %r' % (i, gap))
    for i, r in enumerate(rets):
        check(r.get('ret') == ret, 'return %d ret %r' % (i, r.get('ret')))
        d = r.get('duration_ns')
        check(isinstance(d, int) and d > 0, 'return %d duration_ns %r' % (i, d))
    ts = [r['ts_ns'] for r in ent + rets]
    check(sorted(ts) == [r['ts_ns'] for r in recs if r.get('type') in
                         ('entry', 'return')], 'events in time order')
    # entries and returns alternate, and each duration fits between them
    seq = [r for r in recs if r.get('type') in ('entry', 'return')]
    for a, b in zip(seq[0::2], seq[1::2]):
        check(a['type'] == 'entry' and b['type'] == 'return', 'alternation')
        check(b['duration_ns'] == b['ts_ns'] - a['ts_ns'],
              'duration = return ts - entry ts')


def perfetto(path, calls, depth, unfinished):
    with open(path, 'rb') as f:
        doc = json.loads(f.read().decode('utf-8'))
    ev = doc['traceEvents']
    check(doc.get('displayTimeUnit') == 'ns', 'displayTimeUnit')
    open_ = {}
    deepest = 0
    nb = 0
    marked = 0
    last = {}
    names = set()
    for e in ev:
        ph, key = e['ph'], (e.get('pid'), e.get('tid'))
        if ph == 'M':
            names.add((e['name'], key))
            continue
        if ph in 'BE':
            check(e['ts'] >= last.get(key, 0), 'time goes back on %r' % (key,))
            last[key] = e['ts']
        if ph == 'B':
            nb += 1
            open_[key] = open_.get(key, 0) + 1
            deepest = max(deepest, open_[key])
            check(('thread_name', key) in names, 'track %r unnamed' % (key,))
        elif ph == 'E':
            check(open_.get(key, 0) > 0, 'E without B on %r' % (key,))
            open_[key] = open_.get(key, 0) - 1
            if 'unfinished' in e.get('args', {}):
                marked += 1
            else:
                check('duration_ns' in e.get('args', {}), 'E without duration')
    check(all(v == 0 for v in open_.values()), 'unbalanced: %r' % open_)
    check(nb == calls, 'slices %d, want %d' % (nb, calls))
    check(deepest == depth, 'deepest nesting %d, want %d' % (deepest, depth))
    check(marked == unfinished, 'unfinished %d, want %d' % (marked, unfinished))


def main():
    a = sys.argv[1:]
    if a[0] == 'json':
        jsonl(a[1], int(a[2]), int(a[3]), a[4], a[5], a[6], a[7], int(a[8]))
    elif a[0] == 'perfetto':
        perfetto(a[1], int(a[2]), int(a[3]), int(a[4]))
    else:
        sys.exit('unknown check ' + a[0])
    for f in fails[:10]:
        print(f)
    sys.exit(1 if fails else 0)


main()
