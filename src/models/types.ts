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
  /** The layer this parameter belongs to (`conv1`, `fc2`, `layer2.0.shortcut`, `head/main/3`). */
  readonly layer: string;
  /** `kernel` or `bias` (or `gamma`/`beta` for affine norms). */
  readonly role: 'kernel' | 'bias' | 'gamma' | 'beta';
  readonly kind: ParamKind;
  /** Conv kernels are [kh, kw, inChannels, outChannels]; dense kernels [in, out]. */
  readonly shape: readonly number[];
  /** True for conv/dense kernels of the shared body; heads, biases and norms are never maskable. */
  readonly maskable: boolean;
  /** in_features, or inChannels·kh·kw for convs (Kaiming fan-in); channels for norms. */
  readonly fanIn: number;
  /** For head parameters: the head branch (`main` by default) and task index. */
  readonly head?: { readonly branch: string; readonly task: number };
}

/** Per-call options of the forward pass. */
export interface ForwardOptions {
  /**
   * Training mode: dropout on, affine batch norm normalises with batch statistics and updates
   * its running averages. WSN's batch-statistics norm behaves the same in both modes.
   */
  readonly training: boolean;
  /**
   * Returns the tensor to use in place of a parameter (e.g. `W ⊙ m`). Called once per use of
   * every parameter (kernels, biases, heads, norm gamma/beta), inside the caller's tidy scope;
   * return the variable itself to use it unchanged. Default: identity.
   */
  readonly weight?: (info: ParamInfo, variable: tf.Variable) => tf.Tensor;
  /**
   * Receives each hidden layer's post-ReLU output ([B, units] or [B, H, W, C]), named by the
   * layer it follows (`fc1`, `conv2`, `layer1.0.conv1`, `layer1.0` for a residual block's
   * output), before dropout and pooling. The tensor belongs to the caller's tidy scope:
   * `tf.keep` it or reduce it immediately.
   */
  readonly onActivation?: (layer: string, activation: tf.Tensor) => void;
  /** Seed of this step's dropout masks; required when `training` and the net has dropout. */
  readonly dropoutSeed?: number;
  /**
   * Whether a training-mode pass updates the running averages in {@link Network.state}.
   * Default: equal to `training`. Set false for extra passes that must not move them (e.g. a
   * Fisher or activity estimate in training mode).
   */
  readonly updateNormStats?: boolean;
}

/** Options of {@link Network.logits} and {@link Network.headLogits}. */
export interface HeadOptions {
  /** Head branch; default `main`. */
  readonly branch?: string;
  /** Concatenate heads 0..task along the class axis (class-incremental). Default false. */
  readonly concatUpTo?: boolean;
}

/** A network with named parameters, a shared body and one or more heads. */
export interface Network {
  /** Registry key of the architecture (`mlp`, `alexnet`, `resnet18-reduced`, ...). */
  readonly architecture: string;
  /** Input images as [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  /** Width of the body's output features. */
  readonly featureSize: number;
  /** Head branches, e.g. `['main']` or `['main', 'random']`; every branch has one head per task. */
  readonly branches: readonly string[];
  /** Output width of each task's head (same in every branch); grows with {@link Network.addHead}. */
  readonly headWidths: readonly number[];
  /** All trainable parameters by name (body, then heads in task order), in a stable order. */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Metadata of every parameter, same order as `params`. */
  readonly paramInfo: readonly ParamInfo[];
  /**
   * Non-trainable state by name: the running averages of affine batch norms
   * (`bn1/movingMean`, `bn1/movingVariance`), updated by training-mode forward passes and used
   * at inference. Empty for networks without them (all WSN networks). Snapshot it with `params`.
   */
  readonly state: ReadonlyMap<string, tf.Variable>;
  /** Body forward pass: x [B, H, W, C] float32 → features [B, featureSize]; caller disposes. */
  features(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
  /**
   * Applies one task's head (or heads 0..task when `concatUpTo`) to features [B, featureSize];
   * lets a caller run the body once and read several branches. Caller disposes.
   */
  headLogits(
    features: tf.Tensor2D,
    task: number,
    options: Pick<ForwardOptions, 'weight'> & HeadOptions,
  ): tf.Tensor2D;
  /**
   * Logits of one task's head (multi-head, task-incremental), or of heads 0..task
   * concatenated when `concatUpTo` is true (class-incremental growing head). Caller disposes.
   */
  logits(x: tf.Tensor4D, task: number, options: ForwardOptions & HeadOptions): tf.Tensor2D;
  /** Adds one head of `width` outputs to every branch; returns its task index. */
  addHead(width: number): number;
  /** Frees every variable. */
  dispose(): void;
}
