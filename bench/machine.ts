/**
 * What the benchmark ran on: cores, CPU model, Node and tfjs versions, the backend and its
 * threads, and the load average before and after (other processes on a 2-core machine skew
 * every figure: the runner warns when the load exceeds the cores).
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendReport } from '../src/backend/backend-report';

/** The machine and runtime of one benchmark run. */
export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly tfjs: string;
  readonly backend: string;
  readonly threads: number;
  readonly simd: boolean;
  /** 1-minute load average when the run started. */
  readonly loadAtStart: number;
}

/** Collects {@link MachineInfo} for the chosen backend. */
export function machineInfo(report: BackendReport): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    tfjs: tf.version_core,
    backend: report.name,
    threads: report.threads,
    simd: report.simd,
    loadAtStart: os.loadavg()[0],
  };
}

/** One line per fact, for the report header. */
export function formatMachine(m: MachineInfo): string {
  return [
    `machine: ${m.cores} cores, ${m.cpuModel}; load average ${m.loadAtStart.toFixed(2)} at start`,
    `runtime: Node ${m.node}, tfjs ${m.tfjs}, backend ${m.backend} (${m.threads} thread${m.threads === 1 ? '' : 's'}${m.simd ? ', SIMD' : ''})`,
  ].join('\n');
}
