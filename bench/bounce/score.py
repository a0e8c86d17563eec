"""Score certstat and flufl.bounce on the same bounce files with the same ground truth.

  python3 score.py CORPUS_DIR CERTSTAT_REPORTS

CORPUS_DIR is tests/fixtures/bounces (the sisimai-derived files and expected.tsv, and own/
with a .truth beside each message); CERTSTAT_REPORTS is the file the corpus test writes with
CERTSTAT_BOUNCE_REPORTS set (file, address, outcome per report). flufl.bounce is run here,
as a judge: nothing is tuned on its results or its test messages.

flufl.bounce answers with addresses only (permanent and temporary failures), so the common
measure is the failed address: recall of the final failures, precision of the addresses
named as failed, and benign messages that name someone. certstat's own per-class figures
(hard / soft / sender-side / delayed / benign) come from the corpus test.
"""
import email
import os
import sys
import time
from email import policy

from flufl.bounce import all_failures

corpus, reports_path = sys.argv[1], sys.argv[2]
SENDER_SIDE = {"blocked", "policyviolation", "spamdetected", "securityerror", "toomanyconn",
               "authfailure", "requireptr", "badreputation", "speeding", "norelaying",
               "virusdetected", "notcompliantrfc", "rejected", "contenterror"}
BENIGN = {"delivered", "vacation", "none", "feedback"}


def own_truth():
    """file -> [(address, outcome)] for the own corpus."""
    out = {}
    d = os.path.join(corpus, "own")
    for name in sorted(os.listdir(d)):
        if name.endswith(".eml"):
            rows = [l.split("\t") for l in open(os.path.join(d, name[:-4] + ".truth")).read().splitlines() if l]
            out["own/" + name] = [(r[0], r[1]) for r in rows]
    return out


def sisimai_truth():
    """file -> set of classes (final / sender / benign) of its rows (no addresses given)."""
    out = {}
    lines = open(os.path.join(corpus, "expected.tsv")).read().splitlines()[1:]
    for l in lines:
        c = l.split("\t")
        reason, hard = c[5], c[6] == "true"
        cls = "benign" if reason in BENIGN else ("sender" if reason in SENDER_SIDE and not hard else "final")
        out.setdefault(c[0], set()).add(cls)
    return out


def flufl_reports(files):
    """file -> set of addresses flufl.bounce names as failed (permanent or temporary)."""
    out, start = {}, time.perf_counter()
    for f in files:
        with open(os.path.join(corpus, f), "rb") as fh:
            msg = email.message_from_binary_file(fh, policy=policy.compat32)
        try:
            temporary, permanent = all_failures(msg)
            found = {a.decode("utf-8", "replace").lower() if isinstance(a, bytes) else str(a).lower()
                     for a in temporary | permanent}
        except Exception:
            found = set()
        out[f] = found
    return out, time.perf_counter() - start


def certstat_reports():
    out = {}
    for l in open(reports_path).read().splitlines():
        f, addr, outcome = l.split("\t")
        out.setdefault(f, {})
        if addr != "-" and outcome in ("hard", "soft", "sender"):
            out[f][addr] = outcome
    return out


def score(name, named):
    """named: file -> set of addresses named as failed (bounced or sender-side)."""
    own, sis = own_truth(), sisimai_truth()
    finals = found = reported = right = benign_named = benign_msgs = 0
    for f, rows in own.items():
        failed = {a for a, o in rows if o in ("hard", "soft", "sender")}
        final = {a for a, o in rows if o in ("hard", "soft")}
        got = named.get(f, set())
        finals += len(final)
        found += len(final & got)
        reported += len(got)
        right += len(got & failed)
        if not failed:
            benign_msgs += 1
            benign_named += bool(got)
    s_bounce = s_found = s_benign = s_benign_named = 0
    for f, classes in sis.items():
        got = named.get(f, set())
        if "final" in classes:
            s_bounce += 1
            s_found += bool(got)
        if classes == {"benign"}:
            s_benign += 1
            s_benign_named += bool(got)
    pct = lambda a, b: 100.0 * a / b if b else 100.0
    print(f"| {name} | {pct(found, finals):.1f}% ({found}/{finals}) | {pct(right, reported):.1f}% ({right}/{reported}) "
          f"| {benign_named}/{benign_msgs} | {pct(s_found, s_bounce):.1f}% ({s_found}/{s_bounce}) | {s_benign_named}/{s_benign} |")


files = sorted(list(own_truth()) + list(sisimai_truth()))
flufl, secs = flufl_reports(files)
cs = {f: set(v) for f, v in certstat_reports().items()}
print("| classifier | own corpus: final failures found | own: addresses named that failed | own: benign messages naming someone | sisimai set: final-failure files with an address | sisimai: benign files naming someone |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
score("certstat", cs)
score("flufl.bounce 6.0", flufl)
print(f"\nflufl.bounce: {len(files)} files in {secs:.3f} s: {len(files) / secs:.0f} msg/s (parse + all_failures, one core)")
