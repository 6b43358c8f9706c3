/**
 * The optimizer contract and its shared machinery: named variables, explicit serialisable
 * state (slot tensors per parameter, step counters, hyper-parameters), and per-parameter
 * update masks that freeze entries exactly.
 *
 * Update masks vs gradient masks. A *gradient* mask ({@link maskGradients}) multiplies the
 * gradient before the step; with momentum or Adam moments left over from earlier steps a
 * weight with a zero gradient still moves (methods.md §6, pitfall P1). An *update* mask
 * ({@link Optimizer.setUpdateMask}) selects, entry by entry, between the updated value and the
 * old one (`tf.where`), so a frozen entry keeps its exact bits whatever the optimizer state.
 * Its slots (momentum, moments) are frozen too: a frozen entry behaves as if it were not in
 * the optimizer at all.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, expectSameShape, InvalidArgumentError, UnknownNameError } from '../errors';
import { _heapTensor, _hostKernels, type HostKernels } from '../backend/host-kernels/index';
import { _heapPointer, _soleHeapOwner } from '../backend/wasm-heap';
import { _topCMaskedWeightGrads } from '../pruning/top-c';
import { _signFloorKey } from '../pruning/top-c-window';

/** Names of the optimizers TicketLab implements. */
export type OptimizerKind = 'sgd' | 'adam';

/**
 * A snapshot of an optimizer's state, enough to continue training bit-identically.
 * `slots` keys are `slot/param` (`m/fc1/kernel`, `momentum/head/main/0/kernel`); slot names
 * never contain `/`. Tensors returned by {@link Optimizer.getState} belong to the caller.
 */
export interface OptimizerState {
  readonly kind: OptimizerKind;
  readonly learningRate: number;
  /** Hyper-parameters other than the learning rate (momentum, betas, ...), JSON-safe. */
  readonly hyper: Readonly<Record<string, number>>;
  /** Number of updates applied to each parameter so far (Adam bias correction uses it). */
  readonly steps: Readonly<Record<string, number>>;
  readonly slots: ReadonlyMap<string, tf.Tensor>;
}

/**
 * The gradient of one layer's WSN masked weight W_eff = W ⊙ m, m = |s| ≥ τ (methods.md
 * §1.3–1.4), for {@link Optimizer.applyTopCGradients}.
 */
export interface TopCGradient {
  /** Names (keys of the optimizer's variables) of the weight W and of its score tensor s. */
  readonly weight: string;
  readonly score: string;
  /** ∂L/∂W_eff, W's shape. */
  readonly grad: tf.Tensor;
  /** The threshold τ of the step's mask (a float32 value, e.g. from `_topCMaskedWeightForward`'s key). */
  readonly threshold: number;
}

/** An optimizer over a fixed map of named variables. */
export interface Optimizer {
  readonly kind: OptimizerKind;
  /** Current learning rate; schedules set it between epochs. */
  learningRate: number;
  /** The variables it updates, by name. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /**
   * Applies one update. `grads` is keyed like `variables`; parameters without a gradient are
   * left alone, slots included (as in PyTorch, a head not in the graph is not decayed). Does
   * not dispose `grads`.
   */
  applyGradients(grads: ReadonlyMap<string, tf.Tensor>): void;
  /**
   * One update of weights trained through WSN's top-c mask, from the gradients of the masked
   * weights: W gets ∂L/∂W = m ⊙ g and its score s the straight-through ∂L/∂s = sign(s) ⊙ W ⊙ g,
   * each through this optimizer's rule and update masks. The same numbers, bit for bit, as
   * {@link applyGradients} with those two gradients; with Adam on wasm each update makes its
   * gradient on the fly (one pass per layer on the native binding, two on wasm alone; neither
   * gradient written to memory).
   * @throws InvalidArgumentError for an unknown name; ShapeMismatchError when shapes differ
   */
  applyTopCGradients(gradients: readonly TopCGradient[]): void;
  /**
   * Freezes entries of one parameter: where `mask` is 0 the weight and its slots never change;
   * where 1 they update normally. Any dtype; copied (the caller keeps its mask). `null` clears.
   * @throws InvalidArgumentError for an unknown name; ShapeMismatchError for a wrong shape.
   */
  setUpdateMask(name: string, mask: tf.Tensor | null): void;
  /** Copies of the state; the caller disposes `slots`. */
  getState(): OptimizerState;
  /** Replaces the state with copies of `state`'s tensors. @throws on kind, name or shape mismatch. */
  setState(state: OptimizerState): void;
  /** Frees slots and masks (not the variables). */
  dispose(): void;
}

/**
 * One optimizer's update rule as pure tensor math, called inside a tidy scope.
 * @internal
 */
export interface _UpdateRule {
  readonly kind: OptimizerKind;
  readonly slotNames: readonly string[];
  readonly hyper: Readonly<Record<string, number>>;
  /** New weight and new slots (same order as `slotNames`) from the old ones; `step` is 1-based. */
  update(
    weight: tf.Tensor,
    grad: tf.Tensor,
    slots: readonly tf.Tensor[],
    step: number,
    learningRate: number,
  ): { weight: tf.Tensor; slots: tf.Tensor[] };
  /**
   * The same rule as one fused wasm kernel call (bit-identical to `update`; used when the
   * backend is wasm): reads the weight, gradient and slots, writes every entry of the outputs,
   * keeping weight and slots where the mask is 0.
   */
  updateFused(kernels: HostKernels, io: _FusedUpdate): void;
  /**
   * Optional: the rule applied to a WSN weight and its score from the gradient of W ⊙ m, each
   * gradient made on the fly in the wasm update passes (bit-identical to the top-c backward
   * followed by `updateFused` on each).
   */
  updateTopCFused?(kernels: HostKernels, io: _FusedTopCUpdate): void;
}

/**
 * Heap pointers and sizes of one fused WSN update (see {@link _UpdateRule.updateTopCFused}):
 * `weight` and `score` as {@link _FusedUpdate}s whose `grad` is the gradient of W ⊙ m, the key
 * of τ (|s| float32 bits) and the smallest |s| key whose sign is ±1 on this backend.
 * @internal
 */
export interface _FusedTopCUpdate {
  readonly weight: _FusedUpdate;
  readonly score: _FusedUpdate;
  readonly tauKey: number;
  readonly signFloorKey: number;
}

/**
 * Heap pointers and sizes of one fused update (see {@link _UpdateRule.updateFused}).
 * @internal
 */
export interface _FusedUpdate {
  readonly weight: number;
  readonly grad: number;
  readonly slots: readonly number[];
  readonly outWeight: number;
  readonly outSlots: readonly number[];
  /** Pointer of the bool update mask (1 = trainable), 0 for none. */
  readonly mask: number;
  readonly size: number;
  /** 1-based update count of this parameter. */
  readonly step: number;
  readonly learningRate: number;
}

/** The smallest normal float32, 2^−126. */
const SMALLEST_NORMAL_FLOAT32 = 2 ** -126;

/**
 * `t` with every entry of magnitude below 2^−126 (subnormals and −0) replaced by +0; NaN kept.
 * The optimizer rules store their moments and momenta through it. Without it, a moment whose
 * gradient is 0 (a weight outside WSN's mask, a dead unit) decays by β each step into the
 * subnormal range and stays there (0.9 · k·2^−149 rounds back to k·2^−149 for k ≤ 4), and every
 * later update of that entry runs subnormal arithmetic, which x86 executes far slower
 * (measured: a WSN MLP step went from ~1.2 to ~1.4 ms as 5 % of the moments went subnormal
 * after ~700 steps). The value change is below 2^−126 per moment: the weight's step differs by
 * less than lr·2^−126/ε. PyTorch offers the same trade as `torch.set_flush_denormal(True)`.
 * @internal
 */
export function _flushSubnormal(t: tf.Tensor): tf.Tensor {
  return tf.where(tf.less(tf.abs(t), SMALLEST_NORMAL_FLOAT32), tf.zerosLike(t), t);
}

/** Checks a learning rate. */
export function _expectLearningRate(fn: string, value: unknown): number {
  return expectInRange(fn, 'learningRate', value, { min: 0, minInclusive: false, hint: 'Try 1e-3 for Adam, 0.01 for SGD.' });
}

/**
 * Builds an {@link Optimizer} from an update rule: slot bookkeeping, update masks, state I/O.
 * @internal
 */
export function _slotOptimizer(
  fn: string,
  variables: ReadonlyMap<string, tf.Variable>,
  rule: _UpdateRule,
  learningRate: number,
): Optimizer {
  const vars = new Map(variables);
  const slots = new Map<string, tf.Tensor[]>(); // param → slot tensors, created on first update
  const steps = new Map<string, number>();
  const masks = new Map<string, tf.Tensor>(); // param → bool mask, true = trainable
  let lr = _expectLearningRate(fn, learningRate);

  const expectParam = (where: string, name: string): tf.Variable => {
    const v = vars.get(name);
    if (v === undefined) {
      throw new InvalidArgumentError(
        `${fn}.${where}: no parameter named "${name}". Known: ${[...vars.keys()].slice(0, 8).join(', ')}${vars.size > 8 ? ', …' : ''}.`,
      );
    }
    return v;
  };

  /** Heap pointers of one parameter's fused update: weight, gradient, slots, outputs, its update mask. */
  const fusedIo = (
    name: string, variable: tf.Tensor, grad: tf.Tensor, old: readonly tf.Tensor[], out: tf.Tensor, outSlots: readonly tf.Tensor[], step: number,
  ): _FusedUpdate => {
    const mask = masks.get(name);
    return {
      weight: _heapPointer(variable),
      grad: _heapPointer(grad),
      slots: old.map((t) => _heapPointer(t)),
      outWeight: _heapPointer(out),
      outSlots: outSlots.map((t) => _heapPointer(t)),
      mask: mask ? _heapPointer(mask) : 0,
      size: variable.size,
      step,
      learningRate: lr,
    };
  };

  /** A parameter's slots, zeros before its first update. */
  const slotsOf = (name: string, variable: tf.Tensor): tf.Tensor[] =>
    slots.get(name) ?? rule.slotNames.map(() => tf.keep(tf.zerosLike(variable)));

  /**
   * Where a fused update writes a parameter and its slots: each tensor's own buffer when no
   * other tensor shares it (the kernels read every entry before writing it, so the update runs
   * in place: no allocation, no extra memory traffic), else a new heap tensor, so a clone (a
   * snapshot, `getState`'s copies) keeps the old values.
   */
  const updateTargets = (tensors: readonly tf.Tensor[]): tf.Tensor[] =>
    tensors.map((t) => (_soleHeapOwner(t) ? t : _heapTensor(t.shape)));

  /** Runs a fused update into `targets` of `originals`; on a throw, frees the targets it made. */
  const runInto = (targets: readonly tf.Tensor[], originals: readonly tf.Tensor[], run: () => void): void => {
    try {
      run();
    } catch (e) {
      targets.forEach((t, i) => t !== originals[i] && t.dispose());
      throw e;
    }
  };

  /** Installs a fused update's targets (from {@link updateTargets}): new buffers replace old ones. */
  const commit = (name: string, variable: tf.Variable, targets: readonly tf.Tensor[], old: readonly tf.Tensor[], step: number): void => {
    const [weight, ...fresh] = targets;
    if (weight !== variable) {
      variable.assign(weight);
      weight.dispose();
    }
    fresh.forEach((t, i) => {
      if (t === old[i]) return;
      tf.keep(t);
      old[i].dispose();
    });
    slots.set(name, fresh);
    steps.set(name, step);
  };

  /** One parameter's update from its gradient (fused on wasm), slots and step count included. */
  const applyOne = (name: string, grad: tf.Tensor): void => {
    const variable = expectParam('applyGradients', name);
    const step = (steps.get(name) ?? 0) + 1;
    const old = slotsOf(name, variable);
    const kernels = _hostKernels();
    if (kernels !== null && variable.dtype === 'float32' && grad.dtype === 'float32') {
      const originals = [variable, ...old];
      const targets = updateTargets(originals);
      runInto(targets, originals, () => rule.updateFused(kernels, fusedIo(name, variable, grad, old, targets[0], targets.slice(1), step)));
      commit(name, variable, targets, old, step);
      return;
    }
    const fresh = tf.tidy(() => {
      const out = rule.update(variable, grad, old, step, lr);
      const mask = masks.get(name);
      const weight = mask ? tf.where(mask, out.weight, variable) : out.weight;
      variable.assign(weight);
      return out.slots.map((s, i) => tf.keep(mask ? tf.where(mask, s, old[i]) : s));
    });
    tf.dispose(old);
    slots.set(name, fresh);
    steps.set(name, step);
  };

  const disposeSlots = (): void => {
    for (const list of slots.values()) tf.dispose(list);
    slots.clear();
  };

  return {
    kind: rule.kind,
    variables: vars,
    get learningRate() {
      return lr;
    },
    set learningRate(value: number) {
      lr = _expectLearningRate(`${fn}.learningRate`, value);
    },

    applyGradients(grads) {
      for (const [name, grad] of grads) applyOne(name, grad);
    },

    applyTopCGradients(gradients) {
      for (const { weight: weightName, score: scoreName, grad, threshold } of gradients) {
        const weight = expectParam('applyTopCGradients', weightName);
        const score = expectParam('applyTopCGradients', scoreName);
        if (score === weight) {
          throw new InvalidArgumentError(`${fn}.applyTopCGradients: "${weightName}" is given as both the weight and its score; a score is its own variable.`);
        }
        expectSameShape(`${fn}.applyTopCGradients`, `score "${scoreName}"`, score.shape, weight.shape);
        expectSameShape(`${fn}.applyTopCGradients`, `gradient of "${weightName}"`, grad.shape, weight.shape);
        const tauKey = new Int32Array(Float32Array.of(threshold).buffer)[0] & 0x7fffffff;
        const kernels = _hostKernels();
        const fusable = kernels !== null && rule.updateTopCFused !== undefined
          && [weight, score, grad].every((t) => t.dtype === 'float32');
        if (!fusable) {
          tf.tidy(() => {
            const [dW, dS] = _topCMaskedWeightGrads(grad, weight, score, tauKey);
            applyOne(weightName, dW);
            applyOne(scoreName, dS);
          });
          continue;
        }
        const stepW = (steps.get(weightName) ?? 0) + 1;
        const stepS = (steps.get(scoreName) ?? 0) + 1;
        const oldW = slotsOf(weightName, weight);
        const oldS = slotsOf(scoreName, score);
        const originals = [weight, ...oldW, score, ...oldS];
        const targets = updateTargets(originals);
        const targetsW = targets.slice(0, 1 + oldW.length);
        const targetsS = targets.slice(1 + oldW.length);
        runInto(targets, originals, () => rule.updateTopCFused!(kernels!, {
          weight: fusedIo(weightName, weight, grad, oldW, targetsW[0], targetsW.slice(1), stepW),
          score: fusedIo(scoreName, score, grad, oldS, targetsS[0], targetsS.slice(1), stepS),
          tauKey,
          signFloorKey: _signFloorKey(tf.getBackend()),
        }));
        commit(weightName, weight, targetsW, oldW, stepW);
        commit(scoreName, score, targetsS, oldS, stepS);
      }
    },

    setUpdateMask(name, mask) {
      const variable = expectParam('setUpdateMask', name);
      tf.dispose(masks.get(name));
      masks.delete(name);
      if (mask === null) return;
      expectSameShape(`${fn}.setUpdateMask`, `mask for "${name}"`, mask.shape, variable.shape);
      masks.set(name, tf.tidy(() => tf.cast(mask, 'bool')));
    },

    getState() {
      const out = new Map<string, tf.Tensor>();
      for (const [name, list] of slots) list.forEach((t, i) => out.set(`${rule.slotNames[i]}/${name}`, tf.clone(t)));
      return { kind: rule.kind, learningRate: lr, hyper: { ...rule.hyper }, steps: Object.fromEntries(steps), slots: out };
    },

    setState(state) {
      if (state.kind !== rule.kind) {
        throw new InvalidArgumentError(`${fn}.setState: state is for "${state.kind}"; this optimizer is "${rule.kind}". Create a ${state.kind} optimizer instead.`);
      }
      for (const [key, value] of Object.entries(rule.hyper)) {
        if (state.hyper[key] !== value) {
          throw new InvalidArgumentError(`${fn}.setState: ${key} is ${value} here but ${state.hyper[key]} in the state. Create the optimizer with the saved options.`);
        }
      }
      const incoming = new Map<string, tf.Tensor[]>();
      for (const [key, tensor] of state.slots) {
        const cut = key.indexOf('/');
        const slot = key.slice(0, cut);
        const name = key.slice(cut + 1);
        const index = rule.slotNames.indexOf(slot);
        if (cut < 0 || index < 0) {
          throw new UnknownNameError(`${fn}.setState: unknown slot key "${key}"; expected "<${rule.slotNames.join('|')}>/<parameter>".`);
        }
        const variable = expectParam('setState', name);
        expectSameShape(`${fn}.setState`, `slot "${key}"`, tensor.shape, variable.shape);
        const list = incoming.get(name) ?? [];
        list[index] = tensor;
        incoming.set(name, list);
      }
      for (const [name, list] of incoming) {
        if (list.filter((t) => t !== undefined).length !== rule.slotNames.length) {
          throw new InvalidArgumentError(`${fn}.setState: parameter "${name}" needs slots ${rule.slotNames.join(', ')}; some are missing.`);
        }
      }
      disposeSlots();
      for (const [name, list] of incoming) slots.set(name, list.map((t) => tf.keep(tf.clone(t))));
      steps.clear();
      for (const [name, count] of Object.entries(state.steps)) {
        expectParam('setState', name);
        steps.set(name, expectInRange(`${fn}.setState`, `steps["${name}"]`, count, { min: 0, integer: true }));
      }
      lr = _expectLearningRate(`${fn}.setState`, state.learningRate);
    },

    dispose() {
      disposeSlots();
      tf.dispose([...masks.values()]);
      masks.clear();
    },
  };
}
