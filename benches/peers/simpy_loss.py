"""The textbook loss system in SimPy, written the idiomatic way: a
simpy.Resource of 30 channels, Poisson arrivals, exponential holding, a
call blocked when every channel is busy. Prints one JSON line."""

import json
import random
import sys
import time

import simpy


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    channels, erlangs, mean_hold = 30, 20.34, 180.0
    rate = erlangs / mean_hold
    rng = random.Random(2013)
    env = simpy.Environment()
    gateway = simpy.Resource(env, capacity=channels)
    stats = {"offered": 0, "blocked": 0}

    def call(env):
        if gateway.count >= gateway.capacity:
            stats["blocked"] += 1
            return
        with gateway.request() as req:
            yield req
            yield env.timeout(rng.expovariate(1.0 / mean_hold))

    def source(env):
        while stats["offered"] < calls:
            yield env.timeout(rng.expovariate(rate))
            stats["offered"] += 1
            env.process(call(env))

    start = time.perf_counter()
    env.process(source(env))
    env.run()
    wall = time.perf_counter() - start
    print(json.dumps({
        "engine": "simpy " + simpy.__version__,
        "calls": stats["offered"],
        "blocking": stats["blocked"] / stats["offered"],
        "seconds": wall,
        "calls_per_second": stats["offered"] / wall,
    }))


if __name__ == "__main__":
    main()
