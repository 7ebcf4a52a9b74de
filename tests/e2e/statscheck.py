#!/usr/bin/env python3
"""Independent reader for ftrace's summaries (tests/e2e/stats.sh).

  statscheck.py rows FILE
      JSON lines of -s/--stats: every line parses, every "stats" record has
      the schema of the README (types, nulls exactly when nothing was timed,
      min <= p50 <= p90 <= p99 <= max, avg = total / timed, the histogram's
      counts sum to timed), one "summary" record last. Prints the rows of
      the final report, one per line:
        func key calls timed unmatched
      (key: pid, tid or comm with --by, else "-")
  statscheck.py quantiles FILE DURATIONS BOUND SLACK_NS
      The final report's p50/p90/p99 of its one target against the exact
      nearest-rank quantiles of the durations the target measured itself
      ("sleep US NS" lines): |est - exact| <= BOUND * exact + SLACK_NS.
  statscheck.py stacks FILE
      --by stack: the rows checks, and every final row has "stack", a list
      of frame strings ("lib:func+0xoff", "func+0xoff" in the kernel), its
      "kernel_frames" within it, and a "pid" when it has user frames.
      Prints a line per row: "func calls timed frames", frames being the
      function names innermost first, joined by ','.
  statscheck.py folded FILE
      Folded stacks: every line "frame;frame;... COUNT", COUNT a positive
      integer, no frame empty or with ';' or a space, no line twice. Prints
      them as they are.
  statscheck.py reports FILE
      Interval reports: prints the number of reports, and checks that the
      calls of each row never decrease and only the last one is final.
Prints one line per failed check to stderr; exit status 1 if any.
"""
import json
import math
import sys

fails = []
NEED = ('type', 'elapsed_ns', 'final', 'lib', 'func', 'calls', 'calls_per_s',
        'timed', 'unmatched', 'total_ns', 'min_ns', 'max_ns', 'avg_ns',
        'p50_ns', 'p90_ns', 'p99_ns')
LAT = ('total_ns', 'min_ns', 'max_ns', 'avg_ns', 'p50_ns', 'p90_ns', 'p99_ns')


def check(cond, what):
    if not cond:
        fails.append(what)


def key_of(r):
    for k in ('tid', 'pid', 'comm'):
        if k in r and not (k == 'comm' and ('pid' in r or 'tid' in r)):
            return str(r[k])
    return '-'


def load(path):
    recs = []
    with open(path, 'rb') as f:
        for i, raw in enumerate(f):
            try:
                recs.append(json.loads(raw.decode('utf-8')))
            except ValueError as e:
                check(False, 'line %d does not parse: %s' % (i + 1, e))
    check(recs and recs[-1].get('type') == 'summary', 'no summary record last')
    check(sum(1 for r in recs if r.get('type') == 'summary') == 1,
          'not exactly one summary record')
    stats = [r for r in recs if r.get('type') == 'stats']
    for r in stats:
        for k in NEED:
            check(k in r, 'field %s missing: %s' % (k, r))
        if any(k not in r for k in NEED):
            continue
        for k in ('calls', 'timed', 'unmatched', 'elapsed_ns'):
            check(isinstance(r[k], int) and r[k] >= 0, '%s not a count: %s' % (k, r))
        check(isinstance(r['final'], bool), 'final not a boolean')
        check(isinstance(r['func'], str) and r['func'], 'func not a name')
        if r['timed'] == 0:
            for k in LAT:
                check(r[k] is None, '%s not null without timed calls: %s' % (k, r))
            continue
        for k in LAT:
            check(isinstance(r[k], int), '%s not an integer: %s' % (k, r))
        if any(not isinstance(r[k], int) for k in LAT):
            continue
        check(r['min_ns'] <= r['p50_ns'] <= r['p90_ns'] <= r['p99_ns'] <= r['max_ns'],
              'quantiles out of order: %s' % r)
        check(r['avg_ns'] == r['total_ns'] // r['timed'], 'avg is not total / timed')
        check(r['min_ns'] * r['timed'] <= r['total_ns'] <= r['max_ns'] * r['timed'],
              'total outside timed * [min, max]')
        if 'hist' in r:
            check(sum(b[2] for b in r['hist']) == r['timed'],
                  'histogram counts do not sum to timed: %s' % r)
            for lo, hi, n in r['hist']:
                check(hi is None or lo <= hi, 'bucket bounds reversed')
                check(n > 0, 'empty bucket listed')
            check(r['hist'][0][0] <= r['min_ns'], 'min below the first bucket')
            check(r['hist'][-1][1] is None or r['max_ns'] <= r['hist'][-1][1],
                  'max above the last bucket')
    return stats


def final_rows(stats):
    rows = [r for r in stats if r.get('final')]
    check(rows, 'no final report')
    return rows


def rows(path):
    for r in final_rows(load(path)):
        print(r['func'], key_of(r), r['calls'], r['timed'], r['unmatched'])


def quantiles(path, durations, bound, slack):
    rs = final_rows(load(path))
    check(len(rs) == 1, 'expected one row, got %d' % len(rs))
    d = []
    with open(durations) as f:
        for line in f:
            w = line.split()
            if len(w) == 3 and w[0] == 'sleep':
                d.append(int(w[2]))
    d.sort()
    check(d and rs and rs[0]['timed'] == len(d),
          'timed %s != %d measured calls' % (rs[0]['timed'] if rs else None, len(d)))
    if not d or not rs:
        return
    for name, q in (('p50_ns', 0.50), ('p90_ns', 0.90), ('p99_ns', 0.99)):
        rank = max(1, math.ceil(round(q * len(d), 9)))
        exact, est = d[rank - 1], rs[0][name]
        ok = est is not None and abs(est - exact) <= bound * exact + slack
        print('%s %s exact %d (rank %d) error %.2f%%' % (name, est, exact, rank,
              100.0 * abs(est - exact) / exact if est is not None else -1))
        check(ok, '%s = %s, exact %d: off by more than %.4f + %d ns' %
              (name, est, exact, bound, slack))


def frame_name(f):
    name = f.split(':')[-1] if ':' in f else f
    return name.split('+')[0]


def stacks(path):
    for r in final_rows(load(path)):
        st = r.get('stack')
        check(isinstance(st, list) and all(isinstance(f, str) and f for f in st),
              'stack not a list of frame strings: %s' % r)
        kf = r.get('kernel_frames')
        check(isinstance(kf, int) and 0 <= kf <= len(st or []),
              'kernel_frames not within the stack: %s' % r)
        if st and isinstance(kf, int) and len(st) > kf:
            check(isinstance(r.get('pid'), int) and r['pid'] > 0,
                  'user frames without a pid: %s' % r)
        print(r['func'], r['calls'], r['timed'],
              ','.join(frame_name(f) for f in st or []) or '-')


def folded(path):
    seen = set()
    with open(path, 'rb') as f:
        for raw in f:
            line = raw.decode('utf-8').rstrip('\n')
            stack, _, count = line.rpartition(' ')
            check(count.isdigit() and int(count) > 0, 'bad count: %r' % line)
            frames = stack.split(';')
            check(all(fr and ' ' not in fr for fr in frames), 'bad frame: %r' % line)
            check(stack not in seen, 'stack twice: %r' % line)
            seen.add(stack)
            print(line)


def reports(path):
    stats = load(path)
    seen = {}
    finals = 0
    n = 0
    last_elapsed = -1
    for r in stats:
        if r['elapsed_ns'] != last_elapsed:
            n += 1
            last_elapsed = r['elapsed_ns']
        k = (r['func'], key_of(r))
        check(r['calls'] >= seen.get(k, 0), 'calls of %s went down' % (k,))
        seen[k] = r['calls']
        finals += r['final']
    check(stats and stats[-1]['final'], 'the last report is not final')
    check(finals == sum(1 for r in stats if r['elapsed_ns'] == stats[-1]['elapsed_ns']),
          'final records outside the last report')
    print(n)


def main():
    a = sys.argv[1:]
    if a and a[0] == 'rows' and len(a) == 2:
        rows(a[1])
    elif a and a[0] == 'quantiles' and len(a) == 5:
        quantiles(a[1], a[2], float(a[3]), int(a[4]))
    elif a and a[0] == 'stacks' and len(a) == 2:
        stacks(a[1])
    elif a and a[0] == 'folded' and len(a) == 2:
        folded(a[1])
    elif a and a[0] == 'reports' and len(a) == 2:
        reports(a[1])
    else:
        sys.exit(__doc__)
    for f in fails:
        print(f, file=sys.stderr)
    sys.exit(1 if fails else 0)


if __name__ == '__main__':
    main()
