// The part of autocannon 9's API that the benchmarks use (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    timeout?: number;
    headers?: Record<string, string>;
    method?: string;
    title?: string;
    /** Skip autocannon's own aggregation (percentiles are computed by the caller). */
    skipAggregateResult?: boolean;
  }

  export interface Histogram {
    average: number; mean: number; stddev: number; min: number; max: number; total: number; sent?: number;
    p0_001: number; p0_01: number; p0_1: number; p1: number; p2_5: number; p10: number; p25: number; p50: number;
    p75: number; p90: number; p97_5: number; p99: number; p99_9: number; p99_99: number; p99_999: number;
  }

  export interface Result {
    title?: string;
    url: string;
    connections: number;
    duration: number;
    start: Date;
    finish: Date;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    "1xx": number; "2xx": number; "3xx": number; "4xx": number; "5xx": number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram;
    throughput: Histogram;
  }

  export interface Instance extends EventEmitter {
    stop(): void;
    on(
      event: "response",
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): this;
    on(event: "reqError", listener: (error: Error) => void): this;
    on(event: "done", listener: (result: Result) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  function autocannon(options: Options, callback: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
