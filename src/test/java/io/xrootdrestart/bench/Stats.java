package io.xrootdrestart.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and spread of a series of timings in seconds. */
record Stats(List<Double> values) {
  Stats {
    values = new ArrayList<>(values);
    Collections.sort(values);
  }

  double median() {
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  double min() {
    return values.get(0);
  }

  double max() {
    return values.get(values.size() - 1);
  }

  @Override
  public String toString() {
    return String.format("%6.3f s (%.3f-%.3f, n=%d)", median(), min(), max(), values.size());
  }
}
