// placeholder replaced below
runTrainerBench()
