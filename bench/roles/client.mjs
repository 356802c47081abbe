// Benchmark client process: runs one measurement per request from bench/run.mjs.
import { serveRequests } from '../lib/child.mjs';
import { percentile } from '../lib/stats.mjs';
import { Connector, flood } from './connector.mjs';
import { latency, throughput } from './measure.mjs';

const connector = new Connector();

serveRequests({
  throughput,
  async latency(params) {
    const samples = await latency(params);
    return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  },
  connect: (params) => connector.connect(params),
  closeAll: () => connector.closeAll(),
  flood,
});
