"""End-to-end measurements of quotecheck against its floors and its peers,
side by side in one run; prints the tables of docs/performance.md and
writes them, with every measurement, to target/bench/results.json.

Run it through benches/scale.sh, which installs the Python peers into a
virtualenv under target/; this builds quotecheck and the floors. Everything
it writes goes under target/bench/ (the corpora are kept and reused by the
next run).

    python benches/scale.py [--quick] [--repeat N] [--table]

The corpora are `quotecheck gen --quotes 9 --text-bytes 6000`: articles
of about 6 KB with nine quotes. Every command runs under /usr/bin/time
(user and system CPU, peak RSS); each measurement is repeated and the
fastest run kept, the runs of all programs interleaved, so that other work
on the machine disturbs all of them alike. A peer runs as two processes at
once, each over one half of the corpus (files cut in two beforehand), and
its counts are the sums of the two. Only ratios are reported.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
DATA = OUT / "data"
PEERS = ROOT / "benches" / "peers"
SEED = 1
# Realistic articles: about 6 KB of text, nine quotes.
GEN = ["--quotes", "9", "--text-bytes", "6000"]
CRITERIA = ("content", "attribution", "cue", "kind")
FLOORS = ("bytes", "value", "typed", "simd", "sonic")
PEERS_AT = 10_000


def sh(args, **kw):
    return subprocess.run(args, check=True, text=True, **kw)


def build():
    """Builds quotecheck and the scale helper; returns their paths."""
    sh(["cargo", "build", "--release", "--quiet", "--bin", "quotecheck"], cwd=ROOT)
    out = sh(
        ["cargo", "bench", "--quiet", "--bench", "scale", "--no-run", "--message-format=json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    ).stdout
    helper = None
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "scale" and msg.get("executable"):
            helper = msg["executable"]
    if not helper:
        sys.exit("the scale helper (benches/scale.rs) was not built")
    return str(ROOT / "target" / "release" / "quotecheck"), helper


def measure_all(commands):
    """Starts every command of `commands` at once and waits for all: wall
    seconds until the last ends, CPU seconds summed, the largest peak RSS
    in MB, and each one's stdout."""
    procs = []
    started = time.perf_counter()
    for args in commands:
        t = tempfile.NamedTemporaryFile("r")
        p = subprocess.Popen(
            ["/usr/bin/time", "-f", "%U %S %M", "-o", t.name, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append((args, t, p))
    outs = []
    for args, t, p in procs:
        stdout, stderr = p.communicate()
        # quotecheck exits 1 when a gate fails; there is no gate here, but
        # the figures are checked below either way.
        if p.returncode not in (0, 1):
            sys.exit(f"{' '.join(map(str, args))} failed ({p.returncode}):\n{stderr}")
        outs.append((t.read().split()[-3:], stdout))
        t.close()
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "cpu": sum(float(u) + float(s) for (u, s, _), _ in outs),
        "rss_mb": max(int(m) for (_, _, m), _ in outs) / 1024,
        "stdout": [o for _, o in outs],
    }


def interleaved(commands, repeat, after=None):
    """Runs each named command (a list of processes run at once) `repeat`
    times, in turns; keeps the fastest run of each. `after(name, run)` is
    called after every run, before the next may overwrite its files."""
    runs = {name: [] for name in commands}
    for _ in range(repeat):
        for name, procs in commands.items():
            run = measure_all(procs)
            if after:
                after(name, run)
            runs[name].append(run)
    return {name: best(r) for name, r in runs.items()}


def best(runs):
    """The fastest of repeated runs (and the largest peak RSS)."""
    return {
        "wall": min(r["wall"] for r in runs),
        "cpu": min(r["cpu"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "runs": len(runs),
        "stdout": runs[0]["stdout"],
    }


def prefix(src, dst, lines):
    """The first `lines` lines of `src` as `dst` (what `gen` writes for a
    smaller corpus with the same seed: each article has its own generator)."""
    if dst.exists() or src == dst:
        return
    part = dst.with_suffix(".part")
    with open(src, "rb") as f, open(part, "wb") as out:
        for _ in range(lines):
            out.write(f.readline())
    part.rename(dst)


def halves(corpus, replay):
    """The corpus cut in two halves by lines, and the replay by the ids of
    each half: four files, written once."""
    names = [Path(str(p).replace(".jsonl", f".h{h}.jsonl")) for h in (1, 2) for p in (corpus, replay)]
    if all(p.exists() for p in names):
        return [(str(names[0]), str(names[1])), (str(names[2]), str(names[3]))]
    with open(corpus, "rb") as f:
        lines = f.readlines()
    cut = len(lines) // 2
    first = {json.loads(line)["id"] for line in lines[:cut]}
    c1, r1, c2, r2 = (open(str(p) + ".part", "wb") for p in names)
    c1.writelines(lines[:cut])
    c2.writelines(lines[cut:])
    with open(replay, "rb") as f:
        for line in f:
            (r1 if json.loads(line)["id"] in first else r2).write(line)
    for out, p in zip((c1, r1, c2, r2), names):
        out.close()
        os.rename(str(p) + ".part", p)
    return halves(corpus, replay)


def generate(qc, sizes, folder_size):
    """Writes the corpora that are missing; later runs reuse them."""
    DATA.mkdir(parents=True, exist_ok=True)
    stamp = DATA / "settings"
    settings = json.dumps({"seed": SEED, "gen": GEN})
    if not stamp.exists() or stamp.read_text() != settings:
        shutil.rmtree(DATA)
        DATA.mkdir(parents=True)
        stamp.write_text(settings)
    gen = [qc, "gen", "--seed", str(SEED)]

    def once(name, args):
        """Runs `quotecheck gen` unless `name` was completed before."""
        done = DATA / f"{name}.done"
        if not done.exists():
            sh(gen + args)
            done.touch()

    n = max(sizes)
    # The largest JSON-lines corpus already written serves any smaller size.
    have = [int(d.name[1 : -len(".jsonl.done")]) for d in DATA.glob("c*.jsonl.done")]
    source = min((h for h in have if h >= n), default=n)
    once(f"c{source}.jsonl", GEN + ["--articles", str(source), "--corpus", str(DATA / f"c{source}.jsonl"), "--replay", str(DATA / f"r{source}.jsonl")])
    for s in sizes:
        prefix(DATA / f"c{source}.jsonl", DATA / f"c{s}.jsonl", s)
        prefix(DATA / f"r{source}.jsonl", DATA / f"r{s}.jsonl", s)
    once(f"c{folder_size}", GEN + ["--articles", str(folder_size), "--corpus", str(DATA / f"c{folder_size}"), "--replay", str(DATA / f"r{folder_size}")])
    once("c-2000q", ["--articles", "1", "--quotes", "2000", "--corpus", str(DATA / "c-2000q.jsonl"), "--replay", str(DATA / "r-2000q.jsonl")])


def corpus(size, folder=False):
    suffix = "" if folder else ".jsonl"
    return str(DATA / f"c{size}{suffix}"), str(DATA / f"r{size}{suffix}")


def machine():
    model = "?"
    for line in sh(["lscpu"], stdout=subprocess.PIPE).stdout.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
    return {
        "cpus": os.cpu_count(),
        "model": model,
        "memory_gib": round(mem_kb / 1024 / 1024),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rustc": sh(["rustc", "--version"], stdout=subprocess.PIPE).stdout.strip(),
    }


def report_counts(path):
    """What the scipy scorer must equal in a quotecheck `--json` report:
    micro TP / FP / FN of each criterion, per-kind counts, macro F1."""
    with open(path, encoding="utf-8") as f:
        e = json.load(f)["extractors"][0]
    assert e["status"] == "ok" and not e["failures"], f"{path}: {e['status']}, {len(e['failures'])} failures"
    return {
        "articles": e["articles_scored"],
        "micro": {c: {k: e["micro"][c][k] for k in ("tp", "fp", "fn")} for c in CRITERIA},
        "macro_f1": {c: e["macro"][c]["f1"] for c in CRITERIA},
        "recall_by_kind": {k: {"tp": v["tp"], "total": v["total"]} for k, v in e["per_kind"]["recall"].items()},
        "precision_by_kind": {k: {"tp": v["tp"], "fp": v["fp"]} for k, v in e["per_kind"]["precision"].items()},
    }


def merge_scipy(outputs):
    """The counts of the scipy scorer's processes, added up."""
    parts = [json.loads(o) for o in outputs]
    n = sum(p["articles"] for p in parts)
    add = lambda key, fields: {
        k: {f: sum(p[key].get(k, {}).get(f, 0) for p in parts) for f in fields}
        for k in sorted({k for p in parts for k in p[key]})
    }
    return {
        "articles": n,
        "micro": add("micro", ("tp", "fp", "fn")),
        "macro_f1": {c: sum(p["macro_f1_sum"][c] for p in parts) / n if n else 1.0 for c in CRITERIA},
        "recall_by_kind": add("recall_by_kind", ("tp", "total")),
        "precision_by_kind": add("precision_by_kind", ("tp", "fp")),
        "score_cpu_seconds": sum(p["score_cpu_seconds"] for p in parts),
    }


def differences(peer, qc):
    """Where the scipy scorer's figures differ from quotecheck's: a list of
    strings, empty when all are equal (macro F1 to 1e-9)."""
    out = []
    for key in ("articles", "micro", "recall_by_kind", "precision_by_kind"):
        if peer[key] != qc[key]:
            out.append(f"{key}: scipy {peer[key]} != quotecheck {qc[key]}")
    for c in CRITERIA:
        if abs(peer["macro_f1"][c] - qc["macro_f1"][c]) > 1e-9:
            out.append(f"macro F1 {c}: scipy {peer['macro_f1'][c]} != quotecheck {qc['macro_f1'][c]}")
    return out


def without_stdout(value):
    if isinstance(value, dict):
        return {k: without_stdout(v) for k, v in value.items() if k != "stdout"}
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 articles only, two repeats (under three minutes)")
    ap.add_argument("--repeat", type=int, help="runs of each measurement below 1M articles (3; 2 with --quick)")
    ap.add_argument("--table", action="store_true", help="print the tables of the last run again, measuring nothing")
    args = ap.parse_args()
    if args.table:
        res = json.loads((OUT / "results.json").read_text())
        print(tables(res))
        return
    repeat = args.repeat or (2 if args.quick else 3)
    sizes = [PEERS_AT] if args.quick else [1_000, PEERS_AT, 100_000, 1_000_000]
    folder_size = PEERS_AT
    load_before = os.getloadavg()
    started = time.perf_counter()
    qc, helper = build()
    generate(qc, sizes, folder_size)
    py = sys.executable
    reports = OUT / "reports"
    reports.mkdir(parents=True, exist_ok=True)

    def run(c, r, jobs, name):
        return [qc, "run", "--corpus", c, "--replay", f"bench={r}", "--no-cache", "--diffs", "none", "--jobs", str(jobs), "--json", str(reports / f"{name}.json")]

    def floors(c, r, threads):
        return {f"{f}{threads}": [[helper, f, c, r, "--threads", str(threads)]] for f in FLOORS}

    results = {"machine": machine(), "quick": args.quick, "repeat": repeat, "sizes": {}, "peers_at": PEERS_AT, "folder_size": folder_size}

    # The peers' table: every program on the same 10,000 articles, in turns.
    c, r = corpus(PEERS_AT)
    (c1, r1), (c2, r2) = halves(Path(c), Path(r))
    commands = {
        **floors(c, r, 1),
        **floors(c, r, 2),
        "jobs1": [run(c, r, 1, "jobs1")],
        "jobs2": [run(c, r, 2, "jobs2")],
        "scipy2": [[py, str(PEERS / "scipy_peer.py"), c1, r1], [py, str(PEERS / "scipy_peer.py"), c2, r2]],
        "nervaluate2": [[py, str(PEERS / "nervaluate_peer.py"), c1, r1], [py, str(PEERS / "nervaluate_peer.py"), c2, r2]],
    }
    if not args.quick:
        commands["scipy1"] = [[py, str(PEERS / "scipy_peer.py"), c, r]]
        commands["nervaluate1"] = [[py, str(PEERS / "nervaluate_peer.py"), c, r]]
        commands["score"] = [[helper, "score", c, r]]
    checks = {"qc": [], "scipy": []}

    def check(name, run):
        """Every quotecheck report and every scipy result of every run."""
        if name.startswith("jobs"):
            checks["qc"].append(report_counts(reports / f"{name}.json"))
        elif name.startswith("scipy"):
            checks["scipy"].append(merge_scipy(run["stdout"]))

    peers = interleaved(commands, repeat, after=check)
    print(f"measured the peers on {PEERS_AT:,} articles", file=sys.stderr)
    reference = checks["qc"][0]
    diffs = sorted({d for q in checks["qc"] for s in checks["scipy"] for d in differences(s, q)})
    diffs += sorted({f"quotecheck's reports differ between runs: {q} != {reference}" for q in checks["qc"] if q != reference})
    results["check"] = {
        "runs": {"quotecheck": len(checks["qc"]), "scipy": len(checks["scipy"])},
        "equal": not diffs,
        "differences": diffs,
        "figures": reference,
    }
    for name in ("nervaluate2", "nervaluate1"):
        if name in peers:
            outs = [json.loads(o) for o in peers[name]["stdout"]]
            peers[name]["inner"] = {"score_cpu_seconds": sum(o["score_seconds"] for o in outs), "strict": {k: sum(o["strict"][k] for o in outs) for k in outs[0]["strict"]}}
    for name in ("scipy2", "scipy1"):
        if name in peers:
            peers[name]["inner"] = {"score_cpu_seconds": merge_scipy(peers[name]["stdout"])["score_cpu_seconds"]}
    if "score" in peers:
        peers["score"]["inner"] = json.loads(peers["score"]["stdout"][0])
    for name, f in peers.items():
        if name[:-1] in FLOORS:
            f["inner"] = json.loads(f["stdout"][0])
    results["peers"] = peers
    # Every floor read every byte, and every parser found the same documents,
    # quotes and content parts.
    size = os.path.getsize(c) + os.path.getsize(r)
    parsed = {(f["inner"]["documents"], f["inner"]["quotes"], f["inner"]["parts"]) for k, f in peers.items() if k[:-1] in FLOORS and not k.startswith("bytes")}
    lines = {f["inner"]["documents"] for k, f in peers.items() if k.startswith("bytes")}
    read = {f["inner"]["bytes"] for k, f in peers.items() if k[:-1] in FLOORS}
    if len(parsed) != 1 or lines != {2 * PEERS_AT} or read != {size} or next(iter(parsed))[0] != 2 * PEERS_AT:
        sys.exit(f"the floors disagree: documents, quotes, parts {parsed}; lines {lines}; bytes {read} of {size}")

    # Other sizes: the floors on two threads, quotecheck with one and two jobs.
    for n in sizes:
        if n == PEERS_AT:
            continue
        c, r = corpus(n)
        commands = {"bytes2": [[helper, "bytes", c, r, "--threads", "2"]]}
        for f in ("typed", "simd", "sonic"):
            for t in (1, 2):
                commands[f"{f}{t}"] = [[helper, f, c, r, "--threads", str(t)]]
        commands["jobs2"] = [run(c, r, 2, f"jobs2-{n}")]
        if n < 1_000_000:
            commands["jobs1"] = [run(c, r, 1, f"jobs1-{n}")]
        results["sizes"][str(n)] = interleaved(commands, repeat if n < 1_000_000 else 1)
        os.remove(reports / f"jobs2-{n}.json")
        print(f"measured {n:,} articles", file=sys.stderr)

    big_check = []
    if not args.quick:
        # A folder corpus of the same articles.
        c, r = corpus(folder_size, folder=True)
        results["folder"] = interleaved({"typed2": [[helper, "typed", c, r, "--threads", "2"]], "jobs2": [run(c, r, 2, "folder")]}, 1)
        big_article(helper, py, run, repeat, results)
        big_check = results["big_check"]["differences"]
    shutil.rmtree(reports)
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    results["seconds"] = time.perf_counter() - started
    (OUT / "results.json").write_text(json.dumps(without_stdout(results), indent=1))
    print(tables(results))
    if diffs or big_check:
        sys.exit("the scipy scorer's figures differ from quotecheck's:\n" + "\n".join(diffs + big_check))


def big_article(helper, py, run, repeat, results):
    """One article with 2,000 quotes: the cubic worst case of the assignment."""
    c, r = str(DATA / "c-2000q.jsonl"), str(DATA / "r-2000q.jsonl")
    big = interleaved(
        {
            "typed1": [[helper, "typed", c, r]],
            "jobs1": [run(c, r, 1, "big")],
            "scipy1": [[py, str(PEERS / "scipy_peer.py"), c, r]],
            "nervaluate1": [[py, str(PEERS / "nervaluate_peer.py"), c, r]],
        },
        repeat,
    )
    diffs = differences(merge_scipy(big["scipy1"]["stdout"]), report_counts(OUT / "reports" / "big.json"))
    results["big"] = big
    results["big_check"] = {"equal": not diffs, "differences": diffs}


def ratio(x):
    return f"{x:.1f}×" if x >= 10 else f"{x:.2f}×"


def tables(res):
    m = res["machine"]
    p = res["peers"]
    n = res["peers_at"]
    wall = {k: v["wall"] for k, v in p.items()}
    out = [
        f"Machine: {m['cpus']} CPUs ({m['model']}), {m['memory_gib']} GiB; {m['os']}; {m['rustc']}; Python {m['python']}.",
        f"Load average before / after: {res['load_average']['before'][0]:.1f} / {res['load_average']['after'][0]:.1f}; "
        f"the whole run took {res['seconds'] / 60:.1f} min; each time is the fastest of {res['repeat']} runs.",
        "",
        f"{n:,} articles of about 6 KB with nine quotes (`quotecheck gen --quotes 9 --text-bytes 6000`), "
        f"{p['bytes1']['inner']['bytes'] / 1e6:.0f} MB of corpus and replay; quotecheck writes its `--json` report:",
        "",
        "| program | processes × threads | wall | CPU | peak RSS | quotecheck `--jobs 2` is faster by |",
        "|---|---|---|---|---|---|",
    ]
    names = {
        "bytes": "floor: read the bytes, count lines",
        "value": "floor: parse into `serde_json::Value`",
        "typed": "floor: `serde_json` into typed borrowed structs",
        "simd": "floor: simd-json into the same structs",
        "sonic": "floor: sonic-rs into the same structs",
    }
    rows = [("jobs1", "quotecheck `run --jobs 1 --json`", "1 × 1 job"), ("jobs2", "quotecheck `run --jobs 2 --json`", "1 × 2 jobs")]
    rows += [(f"{f}{t}", names[f], f"1 × {t}") for f in FLOORS for t in (1, 2)]
    rows += [
        ("scipy2", "Python + scipy, the whole contract", "2 × 1"),
        ("scipy1", "Python + scipy, the whole contract", "1 × 1"),
        ("nervaluate2", "nervaluate 1.2 (content spans only)", "2 × 1"),
        ("nervaluate1", "nervaluate 1.2 (content spans only)", "1 × 1"),
    ]
    for key, what, how in rows:
        if key not in p:
            continue
        r = p[key]
        out.append(f"| {what} | {how} | {r['wall']:.3f} s | {r['cpu']:.3f} s | {r['rss_mb']:.0f} MB | {ratio(r['wall'] / wall['jobs2'])} |")

    typed_floors = [f"{f}{t}" for f in ("typed", "simd", "sonic") for t in (1, 2)]
    fastest2 = min((k for k in typed_floors if k.endswith("2")), key=wall.get)
    fastest1 = min((k for k in typed_floors if k.endswith("1")), key=wall.get)
    check = res["check"]
    fig = check["figures"]
    targets = []

    cpu = {k: v["cpu"] for k, v in p.items()}

    def target(what, a, b, goal, at_least):
        """A target on the ratio a / b, by wall-clock time and by CPU time."""
        w, c = wall[a] / wall[b], cpu[a] / cpu[b]
        met = (w >= goal) if at_least else (w <= goal)
        met_cpu = (c >= goal) if at_least else (c <= goal)
        mark = lambda m: "yes" if m else "**no**"
        targets.append(f"| {what} | {ratio(w)} | {ratio(c)} | {'≥' if at_least else '≤'} {goal}× | {mark(met)} | {mark(met_cpu)} |")

    target("Python + scipy scorer of the whole contract (2 processes) / quotecheck `--jobs 2`", "scipy2", "jobs2", 30, True)
    target("nervaluate (2 processes) / quotecheck `--jobs 2`", "nervaluate2", "jobs2", 10, True)
    target(f"quotecheck `--jobs 2` / fastest floor on 2 threads ({names[fastest2[:-1]].split(': ')[1]})", "jobs2", fastest2, 1.5, False)
    target(f"quotecheck `--jobs 1` / fastest floor on 1 thread ({names[fastest1[:-1]].split(': ')[1]})", "jobs1", fastest1, 1.5, False)
    out += [
        "",
        "| target | wall-clock | CPU | goal | met (wall) | met (CPU) |",
        "|---|---|---|---|---|---|",
        *targets,
        "",
        f"Fastest floor against reading the bytes: {ratio(wall[fastest1] / wall['bytes1'])} on 1 thread "
        f"(CPU {ratio(cpu[fastest1] / max(cpu['bytes1'], 0.01))}), {ratio(wall[fastest2] / wall['bytes2'])} on 2 threads; "
        f"`serde_json::Value` against typed `serde_json`: {ratio(wall['value1'] / wall['typed1'])} (1 thread); "
        f"CPU of the floors on 1 thread: typed {cpu['typed1']:.2f} s, simd-json {cpu['simd1']:.2f} s, sonic-rs {cpu['sonic1']:.2f} s.",
        "",
        f"The scipy scorer's figures equal quotecheck's `--json` report: {'**yes**' if check['equal'] else '**NO**'}, "
        f"checked on every run ({check['runs']['scipy']} scipy runs against {check['runs']['quotecheck']} reports): "
        "micro TP / FP / FN of each criterion, per-kind recall and precision counts, macro F1"
        + (f"; and on the 2,000-quote article: {'yes' if res['big_check']['equal'] else '**NO**'}." if "big_check" in res else "."),
        "",
        "| criterion | TP | FP | FN |",
        "|---|---|---|---|",
        *(f"| {c} | {fig['micro'][c]['tp']:,} | {fig['micro'][c]['fp']:,} | {fig['micro'][c]['fn']:,} |" for c in CRITERIA),
    ]
    if "score" in p:
        inner = p["score"]["inner"]["cpu_seconds"]
        out += [
            "",
            f"Scoring alone (CPU, articles loaded first): scipy scorer {ratio(p['scipy1']['inner']['score_cpu_seconds'] / inner)}, "
            f"nervaluate `evaluate()` {ratio(p['nervaluate1']['inner']['score_cpu_seconds'] / inner)} quotecheck's `score_article`.",
        ]
    if "big" in res:
        b = res["big"]
        out += [
            "",
            f"One article with 2,000 quotes (the assignment's worst case), one process each: quotecheck `--jobs 1` takes "
            f"{ratio(b['jobs1']['wall'] / b['typed1']['wall'])} the typed floor's time; the scipy scorer "
            f"{ratio(b['scipy1']['wall'] / b['jobs1']['wall'])} and nervaluate {ratio(b['nervaluate1']['wall'] / b['jobs1']['wall'])} quotecheck's.",
        ]
    if res["sizes"]:
        out += [
            "",
            "| articles | quotecheck `--jobs 1` / fastest floor, 1 thread | quotecheck `--jobs 2` / fastest floor, 2 threads | `--jobs 2` speed-up | peak RSS, `--jobs 2 --json` |",
            "|---|---|---|---|---|",
        ]
        for size in sorted(res["sizes"], key=int):
            s = res["sizes"][size]
            floor1 = min(s[f"{f}1"]["wall"] for f in ("typed", "simd", "sonic"))
            floor2 = min(s[f"{f}2"]["wall"] for f in ("typed", "simd", "sonic"))
            j1 = "—" if "jobs1" not in s else ratio(s["jobs1"]["wall"] / floor1)
            out.append(
                f"| {int(size):,} | {j1} | {ratio(s['jobs2']['wall'] / floor2)} | "
                f"{'—' if 'jobs1' not in s else ratio(s['jobs1']['wall'] / s['jobs2']['wall'])} | {s['jobs2']['rss_mb']:.0f} MB |"
            )
    return "\n".join(out)


if __name__ == "__main__":
    main()
