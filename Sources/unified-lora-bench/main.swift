// placeholder replaced below
sweepBenchmark()
