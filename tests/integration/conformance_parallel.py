#!/usr/bin/env python3
"""Runs the feed suite's reference checker with the parser commands spread over every CPU.

The checker (check_conformance.py --cmd) starts one parser process per case, one after
another: 871 processes, about three minutes under AddressSanitizer. This script runs the same
commands through the checker's own run_cmd, JOBS at a time, writes their outputs as a results
file and hands that to the checker's main (--results), so the verdicts, the report and the
exit status are the checker's. A case whose command fails has no output and fails every
assertion, as with --cmd.

  conformance_parallel.py --suite DIR --cmd CMD [--jobs N] [checker options...]
"""
import argparse
import concurrent.futures
import json
import os
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", required=True)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=20.0)
    args, checker_args = ap.parse_known_args()

    sys.path.insert(0, args.suite)
    sys.dont_write_bytecode = True  # leave the shared suite directory untouched
    import check_conformance as checker  # the suite's own checker, by design

    cases = checker.load_suite(args.suite)

    def run(case):
        try:
            return case["id"], checker.run_cmd(args.cmd, case, args.suite, args.timeout), None
        except Exception as e:  # noqa: BLE001 -- reported, and the case fails
            return case["id"], None, str(e)

    with tempfile.TemporaryDirectory() as tmp:
        results = os.path.join(tmp, "results.jsonl")
        errors = 0
        with open(results, "w", encoding="utf-8") as out, \
                concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for case_id, output, error in pool.map(run, cases):
                if error is not None:
                    errors += 1
                    if errors <= 20:
                        print("error: %s: %s" % (case_id, error), file=sys.stderr)
                    continue
                out.write(json.dumps({"id": case_id, "output": output}, ensure_ascii=False) + "\n")
        if errors:
            print("%d case(s) without output" % errors, file=sys.stderr)
        return checker.main(["--suite", args.suite, "--results", results] + checker_args)


if __name__ == "__main__":
    sys.exit(main())
