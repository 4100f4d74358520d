"""The province-scale benchmark (`make bench`): a data generator and the timings."""
