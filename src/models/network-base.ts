/**
 * Shared machinery of every architecture: parameter registration and seeded initialisation,
 * heads (multi-head, branches, class-incremental concatenation), input validation and the
 * {@link Network} methods. An architecture subclasses it, registers its body in the
 * constructor and implements `body()` with a {@link LayerRunner}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, expectOneOf, expectThat, ShapeMismatchError } from '../errors';
import { deriveSeed, expectSeed } from '../random';
import { initValues, weightInits, type WeightInit } from './init';
import { LayerRunner, type ParamLookup } from './layer-runner';
import type { BatchNormStats } from './layers';
import type { ForwardOptions, HeadOptions, Network, ParamInfo, ParamKind } from './types';

/** Options every architecture accepts. */
export interface NetworkOptions {
  /** Seed of every initial value; each parameter draws from `deriveSeed(seed, name)`. */
  readonly seed: number;
  /** Output width of each task's head, e.g. `[10, 10, 10]`. Default `[]` (add with `addHead`). */
  readonly heads?: readonly number[];
  /** Head branches. Default `['main']` (preact-resnet18: `['main', 'random']`). */
  readonly branches?: readonly string[];
  /** Heads with bias. Default false (WSN nets are bias-free; preact-resnet18: true). */
  readonly headBias?: boolean;
  /** Body kernel initialiser. Default `kaiming-uniform`; `signed-constant` for SupSup. */
  readonly init?: WeightInit;
}

/** Fixed description of an architecture, given by its subclass. */
export interface NetworkSpec {
  readonly architecture: string;
  readonly inputShape: readonly [number, number, number];
  readonly featureSize: number;
  /** Defaults that differ from {@link NetworkOptions}' documented ones. */
  readonly defaults?: { readonly branches?: readonly string[]; readonly headBias?: boolean };
  /** Running-average momentum of affine batch norms (PyTorch 0.1). */
  readonly normMomentum?: number;
}

/** Numbers network instances: tfjs variable names must be unique in a process. */
let instances = 0;

/** Base class of the architectures in src/models. */
export abstract class NetworkBase implements Network, ParamLookup {
  readonly architecture: string;
  readonly inputShape: readonly [number, number, number];
  readonly featureSize: number;
  readonly branches: readonly string[];
  readonly normMomentum: number;
  readonly params = new Map<string, tf.Variable>();
  readonly state = new Map<string, tf.Variable>();
  private readonly infos: ParamInfo[] = [];
  private readonly byName = new Map<string, ParamInfo>();
  private readonly widths: number[] = [];
  private readonly seed: number;
  private readonly init: WeightInit;
  private readonly headBias: boolean;
  private readonly instance = ++instances;

  protected constructor(spec: NetworkSpec, options: NetworkOptions) {
    const fn = spec.architecture;
    this.seed = expectSeed(fn, options?.seed);
    this.init = expectOneOf('weight init', options.init ?? 'kaiming-uniform', weightInits);
    const branches = options.branches ?? spec.defaults?.branches ?? ['main'];
    expectThat(
      branches.length > 0 && new Set(branches).size === branches.length && branches.every((b) => /^[\w-]+$/.test(b)),
      `${fn}: branches must be distinct non-empty names of letters, digits, _ or -; got ${JSON.stringify(branches)}.`,
    );
    this.architecture = fn;
    this.inputShape = spec.inputShape;
    this.featureSize = spec.featureSize;
    this.branches = Object.freeze([...branches]);
    this.headBias = options.headBias ?? spec.defaults?.headBias ?? false;
    this.normMomentum = spec.normMomentum ?? 0.1;
  }

  /** Call at the end of a subclass constructor, after the body is registered. */
  protected addInitialHeads(options: NetworkOptions): void {
    for (const width of options.heads ?? []) this.addHead(width);
  }

  get paramInfo(): readonly ParamInfo[] {
    return this.infos;
  }

  get headWidths(): readonly number[] {
    return this.widths;
  }

  /** @internal lookup for {@link LayerRunner}. */
  param(name: string): { info: ParamInfo; variable: tf.Variable } | undefined {
    const info = this.byName.get(name);
    return info ? { info, variable: this.params.get(name)! } : undefined;
  }

  /** @internal lookup for {@link LayerRunner}. */
  stats(layer: string): BatchNormStats | undefined {
    const movingMean = this.state.get(`${layer}/movingMean`);
    const movingVariance = this.state.get(`${layer}/movingVariance`);
    return movingMean && movingVariance ? { movingMean, movingVariance } : undefined;
  }

  private register(info: ParamInfo, values: Float32Array): void {
    this.infos.push(info);
    this.byName.set(info.name, info);
    this.params.set(info.name, this.variable(tf.tensor(values, [...info.shape], 'float32'), true, info.name));
  }

  /** A variable holding `initial`'s data; `initial` itself is freed (the data lives on in the variable). */
  private variable(initial: tf.Tensor, trainable: boolean, name: string): tf.Variable {
    const v = tf.variable(initial, trainable, `${this.architecture}#${this.instance}/${name}`);
    initial.dispose();
    return v;
  }

  private kernelValues(kind: ParamKind, name: string, size: number, fanIn: number): Float32Array {
    const init = kind === 'head' ? 'kaiming-uniform' : this.init;
    return initValues(init, size, fanIn, deriveSeed(this.seed, name));
  }

  /** Registers a conv kernel [k, k, cin, cout] (maskable) and optionally a bias. */
  protected addConv(layer: string, k: number, cin: number, cout: number, bias = false): void {
    const fanIn = k * k * cin;
    const name = `${layer}/kernel`;
    const shape = [k, k, cin, cout];
    this.register({ name, layer, role: 'kernel', kind: 'conv', shape, maskable: true, fanIn }, this.kernelValues('conv', name, fanIn * cout, fanIn));
    if (bias) this.addBias(layer, 'conv', cout, fanIn);
  }

  /** Registers a dense kernel [in, out] (maskable unless a head) and optionally a bias. */
  protected addDense(layer: string, units: number, outUnits: number, bias = false, head?: ParamInfo['head']): void {
    const kind: ParamKind = head ? 'head' : 'dense';
    const name = `${layer}/kernel`;
    const values = this.kernelValues(kind, name, units * outUnits, units);
    this.register({ name, layer, role: 'kernel', kind, shape: [units, outUnits], maskable: !head, fanIn: units, ...(head ? { head } : {}) }, values);
    if (bias) this.addBias(layer, kind, outUnits, units, head);
  }

  private addBias(layer: string, kind: ParamKind, size: number, fanIn: number, head?: ParamInfo['head']): void {
    const name = `${layer}/bias`;
    const values = initValues('kaiming-uniform', size, fanIn, deriveSeed(this.seed, name)); // PyTorch bias bound 1/√fanIn
    this.register({ name, layer, role: 'bias', kind, shape: [size], maskable: false, fanIn, ...(head ? { head } : {}) }, values);
  }

  /** Registers an affine batch norm: gamma 1, beta 0, running mean 0 and variance 1. */
  protected addBatchNorm(layer: string, channels: number): void {
    const base = { layer, kind: 'norm' as const, shape: [channels], maskable: false, fanIn: channels };
    this.register({ ...base, name: `${layer}/gamma`, role: 'gamma' }, new Float32Array(channels).fill(1));
    this.register({ ...base, name: `${layer}/beta`, role: 'beta' }, new Float32Array(channels));
    this.state.set(`${layer}/movingMean`, this.variable(tf.zeros([channels]), false, `${layer}/movingMean`));
    this.state.set(`${layer}/movingVariance`, this.variable(tf.ones([channels]), false, `${layer}/movingVariance`));
  }

  addHead(width: number): number {
    expectInRange(`${this.architecture}.addHead`, 'width', width, { min: 1, integer: true });
    const task = this.widths.length;
    for (const branch of this.branches) {
      this.addDense(`head/${branch}/${task}`, this.featureSize, width, this.headBias, { branch, task });
    }
    this.widths.push(width);
    return task;
  }

  /** The body: x [B, H, W, C] → features [B, featureSize]. */
  protected abstract body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D;

  features(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
    const [h, w, c] = this.inputShape;
    if (x?.rank !== 4 || x.shape[1] !== h || x.shape[2] !== w || x.shape[3] !== c) {
      throw new ShapeMismatchError(
        `${this.architecture}.features: x has shape [${x?.shape?.join(',')}]; expected [batch,${h},${w},${c}] (NHWC float32).`,
      );
    }
    return this.body(x, new LayerRunner(this, options));
  }

  /** Validates a head selection; returns the branch. */
  private checkHead(task: number, branch: string | undefined): string {
    expectInRange(`${this.architecture}.logits`, 'task', task, {
      min: 0,
      max: this.widths.length - 1,
      integer: true,
      hint: this.widths.length === 0 ? 'The network has no heads yet: pass options.heads or call addHead(width).' : undefined,
    });
    return expectOneOf('head branch', branch ?? 'main', this.branches);
  }

  headLogits(features: tf.Tensor2D, task: number, options: Pick<ForwardOptions, 'weight'> & HeadOptions = {}): tf.Tensor2D {
    const branch = this.checkHead(task, options.branch);
    const run = new LayerRunner(this, { training: false, weight: options.weight });
    const outs: tf.Tensor2D[] = [];
    for (let t = options.concatUpTo ? 0 : task; t <= task; t++) outs.push(run.dense(`head/${branch}/${t}`, features));
    return outs.length === 1 ? outs[0] : tf.concat(outs, 1); // [B, Σ widths]
  }

  logits(x: tf.Tensor4D, task: number, options: ForwardOptions & HeadOptions): tf.Tensor2D {
    this.checkHead(task, options.branch);
    // No tidy here: activations handed to onActivation must live in the caller's scope.
    return this.headLogits(this.features(x, options), task, options);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    for (const v of this.state.values()) v.dispose();
  }
}
