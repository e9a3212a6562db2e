"""WEAT speed and the ten-test replication on GloVe 50d; before/after hard debiasing.

Run: ``python benchmarks/bench_weat.py`` (add ``--quick`` to skip the debiasing section).
Prints (1) the time of one WEAT with 10,000 random permutations (target <= 1 s), (2) the ten Caliskan et al.
(2017) tests beside the paper's Table 1, (3) DirectBias, WEAT and residual-bias figures before and after hard
debiasing (Bolukbasi et al. 2016; Gonen & Goldberg 2019).
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _timed(fn, *a, **kw):
    t = time.perf_counter()
    out = fn(*a, **kw)
    return out, time.perf_counter() - t


def speed(space) -> None:
    from embedlab.bias.weat import permutation_p_value, run_test

    run_test(space, "weat1")  # warm the cached unit vectors
    times = []
    for seed in range(5):
        r, dt = _timed(run_test, space, "weat1", n_permutations=10_000, seed=seed)
        times.append(dt)
    rng = np.random.default_rng(0)
    _, dt_perm = _timed(permutation_p_value, rng.normal(size=25), rng.normal(size=25), 10_000, 0, 0)
    print("## WEAT speed (GloVe 50d, weat1 flowers/insects, 24x2 targets, 25x2 attributes)")
    print(f"{'what':<48} {'seconds':>9}")
    print(f"{'full WEAT, 10,000 random partitions (median of 5)':<48} {np.median(times):>9.4f}")
    print(f"{'permutations only (10,000 x 50 targets)':<48} {dt_perm:>9.4f}")
    met = "met" if np.median(times) <= 1 else "MISSED"
    print(f"target <= 1 s: {met}; n_permutations={r.n_permutations}, exact={r.exact}\n")


def ten_tests(space) -> None:
    from embedlab.bias.weat import weat_table

    t = weat_table(space)
    print("## Caliskan et al. 2017, ten WEATs: ours (GloVe 6B 50d) vs paper (GloVe 840B 300d)")
    print(f"{'test':<7} {'targets':<8} {'d':>6} {'p':>9} {'p via':<14} {'paper d':>7} {'paper p':>8} "
          f"{'sign':>5}")
    for _, r in t.iterrows():
        via = "exact" if r["exact"] else f"{r['n_permutations']:,} perm"
        print(f"{r['test']:<7} {r['n_targets']:<8} {r['d']:>6.2f} {r['p']:>9.2g} {via:<14} "
              f"{r['paper_d']:>7.2f} {r['paper_p']:>8} {'ok' if r['same_sign'] else 'FLIP':>5}")
    print(f"same sign as the paper: {int(t['same_sign'].sum())}/10\n")


def debias_figures(space) -> None:
    from embedlab.bias import debias, directions, residual
    from embedlab.bias.weat import run_test

    g = directions.gender_direction(space)
    res, dt = _timed(debias.hard_debias, space, g)
    deb = res.space
    print(f"## Hard debiasing of {space.name} ({res.n_neutralised:,} neutralised, {len(res.equalised)} pairs "
          f"equalised, {dt:.1f} s); gender direction PC1 explains {g.pc1_share:.1%}")
    print(f"{'measure':<52} {'before':>8} {'after':>8}")
    print(f"{'DirectBias_1 (neutral professions)':<52} {debias.direct_bias(space, g).value:>8.3f} "
          f"{debias.direct_bias(deb, g).value:>8.3f}")
    for t in ("weat6", "weat7", "weat8"):
        b, a = run_test(space, t), run_test(deb, t)
        print(f"{'WEAT d ' + t:<52} {b.effect_size:>8.2f} {a.effect_size:>8.2f}")
        print(f"{'  p (one-sided) ' + t:<52} {b.p_value:>8.2g} {a.p_value:>8.2g}")
        print(f"{'  s(X,Y,A,B) = sum s(x) - sum s(y) ' + t:<52} {b.statistic:>8.3f} {a.statistic:>8.3f}")
    c0 = residual.cluster_residual(space, space)
    c1, dt = _timed(residual.cluster_residual, space, deb)
    print(f"{'k-means accuracy, 500+500 most biased (top 50k)':<52} {c0.accuracy:>8.1%} {c1.accuracy:>8.1%}"
          f"   ({dt:.1f} s; paper: 92.5% after)")
    n0 = residual.neighbour_bias(space, space)
    n1, dt = _timed(residual.neighbour_bias, space, deb)
    print(f"{'Pearson r: bias vs male share of 100 neighbours':<52} {n0.correlation:>8.2f} "
          f"{n1.correlation:>8.2f}   ({dt:.1f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip the debiasing section")
    args = ap.parse_args()
    from embedlab.registry import load

    space, dt = _timed(load, "glove-50d")
    print(f"loaded glove-50d in {dt:.1f} s (machine shared with other jobs: timings are indicative)\n")
    speed(space)
    ten_tests(space)
    if not args.quick:
        debias_figures(space)


if __name__ == "__main__":
    main()
