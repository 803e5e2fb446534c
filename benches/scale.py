"""End-to-end measurements of quotecheck against its floor and its peers,
side by side in one run; prints the table of docs/performance.md.

Run it through benches/scale.sh, which builds quotecheck and installs the
Python peers into a virtualenv under target/. Everything it writes goes
under target/bench/ (about 6 GB for the million-article corpus; the
corpora are kept and reused by the next run).

    python benches/scale.py [--quick] [--repeat N]

Every command runs under /usr/bin/time (user and system CPU, peak RSS);
each measurement is repeated and the fastest run kept, runs of different
programs interleaved, so that other work on the machine disturbs all of
them alike. Only ratios are reported.
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
    assert helper, "the scale helper was not built"
    return str(ROOT / "target" / "release" / "quotecheck"), helper


def measure(args, stdout=True):
    """Runs `args` once: wall and CPU seconds, peak RSS in MB, stdout."""
    with tempfile.NamedTemporaryFile("r") as t:
        started = time.perf_counter()
        p = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", "-o", t.name, *args],
            stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wall = time.perf_counter() - started
        user, system, rss = t.read().split()[-3:]
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
    return {
        "wall": wall,
        "cpu": float(user) + float(system),
        "rss_mb": int(rss) / 1024,
        "stdout": p.stdout if stdout else "",
    }


def best(runs):
    """The fastest of repeated runs (and the largest peak RSS)."""
    return {
        "wall": min(r["wall"] for r in runs),
        "cpu": min(r["cpu"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "stdout": runs[0]["stdout"],
    }


def interleaved(commands, repeat):
    """Runs each named command `repeat` times, in turns; the best of each."""
    runs = {name: [] for name in commands}
    for _ in range(repeat):
        for name, args in commands.items():
            runs[name].append(measure(args))
    return {name: best(r) for name, r in runs.items()}


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


def generate(qc, sizes, folder_size):
    """Writes the corpora that are missing; later runs reuse them."""
    DATA.mkdir(parents=True, exist_ok=True)
    stamp = DATA / "seed"
    if not stamp.exists() or stamp.read_text() != str(SEED):
        shutil.rmtree(DATA)
        DATA.mkdir(parents=True)
        stamp.write_text(str(SEED))
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
    once(f"c{source}.jsonl", ["--articles", str(source), "--corpus", str(DATA / f"c{source}.jsonl"), "--replay", str(DATA / f"r{source}.jsonl")])
    for s in sizes:
        prefix(DATA / f"c{source}.jsonl", DATA / f"c{s}.jsonl", s)
        prefix(DATA / f"r{source}.jsonl", DATA / f"r{s}.jsonl", s)
    once(f"c{folder_size}", ["--articles", str(folder_size), "--corpus", str(DATA / f"c{folder_size}"), "--replay", str(DATA / f"r{folder_size}")])
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


def without_stdout(value):
    if isinstance(value, dict):
        return {k: without_stdout(v) for k, v in value.items() if k != "stdout"}
    return value


def fmt_ratio(x):
    return f"{x:.1f}×" if x >= 10 else f"{x:.2f}×"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="stop at 100k articles (about two minutes)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement below 1M articles")
    ap.add_argument("--table", action="store_true", help="print the table of the last run again, measuring nothing")
    args = ap.parse_args()

    sizes = [1_000, 10_000, 100_000] + ([] if args.quick else [1_000_000])
    folder_size = 100_000 if not args.quick else 10_000
    peers_at = 10_000
    if args.table:
        res = json.loads((OUT / "results.json").read_text())
        res["sizes"] = {int(n): v for n, v in res["sizes"].items()}
        sizes = sorted(res["sizes"])
        folder_size = res.get("folder_size", folder_size)
        print(table(res, sizes, folder_size, peers_at))
        return
    load_before = os.getloadavg()
    started = time.perf_counter()
    qc, helper = build()
    generate(qc, sizes, folder_size)
    py = sys.executable

    def run(c, r, jobs, *extra):
        return [qc, "run", "--corpus", c, "--replay", f"bench={r}", "--no-cache", "--diffs", "none", "--jobs", str(jobs), *extra]

    results = {"machine": machine(), "sizes": {}, "folder_size": folder_size}

    # Throughput: the same files read and parsed (the floor), and scored.
    for n in sizes:
        c, r = corpus(n)
        commands = {"floor": [helper, "floor", c, r], "jobs2": run(c, r, 2)}
        if n < 1_000_000:
            commands["jobs1"] = run(c, r, 1)
        results["sizes"][n] = interleaved(commands, args.repeat if n < 1_000_000 else 1)
        print(f"measured {n} articles", file=sys.stderr)

    # Memory: folder and JSON-lines corpora; a run with the JSON report
    # (written as articles finish).
    c, r = corpus(folder_size, folder=True)
    results["folder"] = interleaved({"floor": [helper, "floor", c, r], "jobs2": run(c, r, 2)}, 1)
    c, r = corpus(100_000)
    report = str(OUT / "report.json")
    results["keep_all"] = measure(run(c, r, 2, "--json", report))
    os.remove(report)

    # Peers, on the same files.
    c, r = corpus(peers_at)
    peers = interleaved(
        {
            "nervaluate": [py, str(PEERS / "nervaluate_peer.py"), c, r],
            "scipy": [py, str(PEERS / "scipy_peer.py"), c, r],
            "score": [helper, "score", c, r],
        },
        2,
    )
    for name in ("nervaluate", "scipy", "score"):
        peers[name]["inner"] = json.loads(peers[name]["stdout"])
    results["peers"] = peers

    # One article with 2,000 quotes.
    c, r = str(DATA / "c-2000q.jsonl"), str(DATA / "r-2000q.jsonl")
    big = interleaved(
        {
            "floor": [helper, "floor", c, r],
            "jobs1": run(c, r, 1),
            "score": [helper, "score", c, r],
            "scipy": [py, str(PEERS / "scipy_peer.py"), c, r],
            "nervaluate": [py, str(PEERS / "nervaluate_peer.py"), c, r],
        },
        args.repeat,
    )
    for name in ("score", "scipy", "nervaluate"):
        big[name]["inner"] = json.loads(big[name]["stdout"])
    results["big"] = big
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    results["seconds"] = time.perf_counter() - started
    (OUT / "results.json").write_text(json.dumps(without_stdout(results), indent=1))
    print(table(results, sizes, folder_size, peers_at))


def table(res, sizes, folder_size, peers_at):
    m = res["machine"]
    rows = []

    def row(what, ratio, target="", met=None, how=""):
        mark = "" if met is None else ("yes" + how if met else "**no**")
        rows.append(f"| {what} | {ratio} | {target} | {mark} |")

    for n in sizes:
        s = res["sizes"][n]
        j2 = s["jobs2"]["wall"] / s["floor"]["wall"]
        text = f"{fmt_ratio(j2)} (jobs 2)"
        if "jobs1" in s:
            j1 = s["jobs1"]["wall"] / s["floor"]["wall"]
            text = f"{fmt_ratio(j1)} (jobs 1), " + text
        cpu = s["jobs2"]["cpu"] / s["floor"]["cpu"]
        row(f"replay scoring, {n:,} articles: time / parse-only floor", f"{text}; CPU {fmt_ratio(cpu)}", "≤ 2×", j2 <= 2, " (jobs 2)")
    per_article = {n: res["sizes"][n]["jobs2"]["wall"] / n for n in sizes}
    row(
        f"time per article, {sizes[-1]:,} articles / 10,000 articles (jobs 2)",
        fmt_ratio(per_article[sizes[-1]] / per_article[10_000]),
        "≈ 1× (linear)",
    )
    s = res["sizes"][100_000]
    speedup = s["jobs1"]["wall"] / s["jobs2"]["wall"]
    row("`--jobs 2` speed-up over `--jobs 1`, 100,000 articles", fmt_ratio(speedup), "≥ 1.7×", speedup >= 1.7)

    p = res["peers"]
    e2e = p["nervaluate"]["wall"] / res["sizes"][peers_at]["jobs1"]["wall"]
    e2e2 = p["nervaluate"]["wall"] / res["sizes"][peers_at]["jobs2"]["wall"]
    row(f"nervaluate end to end / quotecheck end to end, {peers_at:,} articles", f"{fmt_ratio(e2e)} (jobs 1), {fmt_ratio(e2e2)} (jobs 2)", "≥ 10×", e2e2 >= 10, " (jobs 2)")
    ceiling = p["nervaluate"]["wall"] / res["sizes"][peers_at]["floor"]["wall"]
    row(f"nervaluate end to end / parse-only floor, {peers_at:,} articles (the ceiling for a scorer that parses them with serde_json)", fmt_ratio(ceiling))
    inner = p["nervaluate"]["inner"]["score_cpu_seconds"] / p["score"]["inner"]["cpu_seconds"]
    row(f"nervaluate `evaluate()` / quotecheck scoring alone, {peers_at:,} articles", fmt_ratio(inner), "≥ 30×", inner >= 30)
    se2e = p["scipy"]["wall"] / res["sizes"][peers_at]["jobs1"]["wall"]
    row(f"scipy scorer end to end / quotecheck end to end (jobs 1), {peers_at:,} articles", fmt_ratio(se2e))
    sinner = p["scipy"]["inner"]["score_cpu_seconds"] / p["score"]["inner"]["cpu_seconds"]
    row(f"scipy scorer scoring / quotecheck scoring alone, {peers_at:,} articles", fmt_ratio(sinner))

    b = res["big"]
    row("one article with 2,000 quotes: time / parse-only floor (jobs 1)", fmt_ratio(b["jobs1"]["wall"] / b["floor"]["wall"]))
    row("one article with 2,000 quotes: scipy scorer / quotecheck, scoring alone", fmt_ratio(b["scipy"]["inner"]["score_cpu_seconds"] / b["score"]["inner"]["cpu_seconds"]))
    row("one article with 2,000 quotes: nervaluate `evaluate()` / quotecheck scoring alone", fmt_ratio(b["nervaluate"]["inner"]["score_cpu_seconds"] / b["score"]["inner"]["cpu_seconds"]))

    mem = []
    for label, run, target in [
        (f"JSON lines, 100,000 articles", res["sizes"][100_000]["jobs2"], None),
        (f"folder, {folder_size:,} articles", res["folder"]["jobs2"], None),
        ("JSON lines, 1,000,000 articles", res["sizes"].get(1_000_000, {}).get("jobs2"), 200),
        ("JSON lines, 100,000 articles, `--json` report (written as articles finish)", res["keep_all"], None),
    ]:
        if run is None:
            continue
        met = None if target is None else run["rss_mb"] < target
        mem.append(f"| peak RSS, {label} | {run['rss_mb']:.0f} MB | {'< 200 MB' if target else ''} | {'' if met is None else ('yes' if met else '**no**')} |")

    agree = [
        res["peers"]["scipy"]["inner"]["content"] == res["peers"]["score"]["inner"]["content"],
        res["big"]["scipy"]["inner"]["content"] == res["big"]["score"]["inner"]["content"],
    ]
    content = res["peers"]["score"]["inner"]["content"]
    lines = [
        f"Machine: {m['cpus']} CPUs ({m['model']}), {m['memory_gib']} GiB; {m['os']}; {m['rustc']}; Python {m['python']}.",
        f"Load average before / after: {res['load_average']['before'][0]:.1f} / {res['load_average']['after'][0]:.1f}; the whole run took {res['seconds'] / 60:.1f} min.",
        "",
        "| measurement | ratio | target | met |",
        "|---|---|---|---|",
        *rows,
        *mem,
        "",
        f"The scipy scorer's content TP / FP / FN equal quotecheck's: {'yes' if all(agree) else 'NO'} "
        f"({peers_at:,} articles: TP {content['tp']:,}, FP {content['fp']:,}, FN {content['fn']:,}; and on the 2,000-quote article).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
