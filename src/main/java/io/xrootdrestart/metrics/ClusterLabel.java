package io.xrootdrestart.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Every series of an inner registry with the {@code cluster} label added, so that each of them, the
 * JVM's included, says which cluster it belongs to. The {@code _created} series of counters and
 * histograms are left out: nothing reads them and they double the output.
 */
final class ClusterLabel extends Collector {
  private static final Set<Type> WITH_CREATED =
      Set.of(Type.COUNTER, Type.HISTOGRAM, Type.SUMMARY, Type.GAUGE_HISTOGRAM);
  private final CollectorRegistry inner;
  private final String cluster;

  ClusterLabel(CollectorRegistry inner, String cluster) {
    this.inner = inner;
    this.cluster = cluster;
  }

  @Override
  public List<MetricFamilySamples> collect() {
    List<MetricFamilySamples> out = new ArrayList<>();
    for (MetricFamilySamples family : Collections.list(inner.metricFamilySamples())) {
      List<MetricFamilySamples.Sample> samples = new ArrayList<>(family.samples.size());
      for (MetricFamilySamples.Sample s : family.samples) {
        if (WITH_CREATED.contains(family.type) && s.name.endsWith("_created")) {
          continue;
        }
        List<String> names = new ArrayList<>(s.labelNames.size() + 1);
        names.add("cluster");
        names.addAll(s.labelNames);
        List<String> values = new ArrayList<>(s.labelValues.size() + 1);
        values.add(cluster);
        values.addAll(s.labelValues);
        samples.add(
            new MetricFamilySamples.Sample(
                s.name, names, values, s.value, s.exemplar, s.timestampMs));
      }
      out.add(new MetricFamilySamples(family.name, family.unit, family.type, family.help, samples));
    }
    return out;
  }
}
