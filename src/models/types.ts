/**
 * The network contract every method builds on. Networks are built from tfjs ops with explicit,
 * named parameters (no opaque Keras layers), so a method can read or replace any weight by
 * name, and the forward pass can be told which tensor to use in place of each weight
 * (`W ⊙ mask`, a straight-through top-c mask, a frozen copy, ...).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** What a parameter is. Only `conv` and `dense` of the shared body are maskable. */
export type ParamKind = 'conv' | 'dense' | 'head' | 'norm';

/** Static metadata of one parameter tensor. */
export interface ParamInfo {
  /** Unique name, `layer/role`: `conv1/kernel`, `fc2/kernel`, `head/main/3/kernel`, `head/main/3/bias`. */
  readonly name: string;
  /** The layer this parameter belongs to (`conv1`, `fc2`, `head/main/3`). */
  readonly layer: string;
  /** `kernel` or `bias` (or `gamma`/`beta` for affine norms). */
  readonly role: 'kernel' | 'bias' | 'gamma' | 'beta';
  readonly kind: ParamKind;
  /** Conv kernels are [kh, kw, inChannels, outChannels]; dense kernels [in, out]. */
  readonly shape: readonly number[];
  /** True for conv/dense kernels of the shared body; heads, biases and norms are never maskable. */
  readonly maskable: boolean;
  /** in_features, or inChannels·kh·kw for convs (Kaiming fan-in). */
  readonly fanIn: number;
  /** For head parameters: the head branch (`main` by default) and task index. */
  readonly head?: { readonly branch: string; readonly task: number };
}

/** Per-call options of the forward pass. */
export interface ForwardOptions {
  /** Training mode: dropout on. Batch-statistics norm behaves the same in both modes. */
  readonly training: boolean;
  /**
   * Returns the tensor to use in place of a parameter (e.g. `W ⊙ m`). Called inside the
   * caller's tidy scope; return the variable itself to use it unchanged. Default: identity.
   */
  readonly weight?: (info: ParamInfo, variable: tf.Variable) => tf.Tensor;
  /**
   * Receives each hidden layer's post-activation output ([B, units] or [B, H, W, C]), named by
   * its layer (`fc1`, `conv2`), e.g. for CLNP's activity scores. The tensor belongs to the
   * caller's tidy scope: `tf.keep` it or reduce it immediately.
   */
  readonly onActivation?: (layer: string, activation: tf.Tensor) => void;
  /** Seed of this step's dropout masks; required when `training` and the net has dropout. */
  readonly dropoutSeed?: number;
}

/** A network with named parameters, a shared body and one or more heads. */
export interface Network {
  /** Registry key of the architecture (`mlp`, `alexnet`, `resnet18-reduced`, ...). */
  readonly architecture: string;
  /** Input images as [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  /** Width of the body's output features. */
  readonly featureSize: number;
  /** All parameters by name (body and heads), in a stable order. */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Metadata of every parameter, same order as `params`. */
  readonly paramInfo: readonly ParamInfo[];
  /** Body forward pass: x [B, H, W, C] float32 → features [B, featureSize]. */
  features(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
  /**
   * Logits of one task's head (multi-head, task-incremental), or of heads 0..task
   * concatenated when `concatUpTo` is true (class-incremental growing head).
   */
  logits(
    x: tf.Tensor4D,
    task: number,
    options: ForwardOptions & { readonly branch?: string; readonly concatUpTo?: boolean },
  ): tf.Tensor2D;
  /** Frees every variable. */
  dispose(): void;
}
