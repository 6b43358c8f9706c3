/**
 * Training-step workloads: one of TicketLab's networks trained through its own engine
 * (`trainTask`, the epoch loop every method runs: tf.variableGrads inside tf.tidy, softmax
 * cross-entropy, training accuracy, the optimizer step with update masks) on a fixed batch, so
 * only compute is timed, not data loading. The optimizer is Adam at lr 1e-3 as in WSN
 * (methods.md §1.5), the same in the PyTorch reference.
 *
 * The masked variant is WSN's step (methods.md §1.3–1.4) built exactly as src/methods/wsn.ts
 * builds it: a score tensor per maskable weight, trained by the same Adam; the masked weights
 * W ⊙ top-c of |s| per layer as the step's derived weights (topCDerivedWeights: computed before
 * the tape, W and s updated from its gradient with the straight-through rule, the gradients
 * made on the fly in the update passes); and update masks that freeze the union of earlier tasks' masks exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../src/data/types';
import { createNetwork, type ArchitectureName } from '../../src/models/architectures';
import { kaimingUniform } from '../../src/models/init';
import type { ForwardOptions, Network } from '../../src/models/types';
import { topCDerivedWeights } from '../../src/pruning/top-c-derived';
import { deriveSeed, Rng } from '../../src/random';
import { adam } from '../../src/train/adam';
import { crossEntropy } from '../../src/train/cross-entropy';
import type { Optimizer } from '../../src/train/optimizer';
import { trainTask, type DerivedWeights } from '../../src/train/train-task';
import type { Prepared, Workload, WorkloadSettings } from './types';

/** WSN's learning rate (methods.md §1.5). */
export const LEARNING_RATE = 1e-3;

/** Options of {@link trainStepWorkload}. */
export interface TrainStepSpec {
  readonly name: string;
  readonly title: string;
  readonly architecture: ArchitectureName;
  /** Extra architecture options (e.g. `{ nf: 20 }`). */
  readonly networkOptions?: Record<string, unknown>;
  readonly batch: number;
  /** Width of the one head trained. */
  readonly headWidth: number;
  /** Training steps per timed repetition: full run and `--quick`. */
  readonly steps: { readonly full: number; readonly quick: number };
  /** WSN masking: the kept fraction c and the share of weights frozen by earlier tasks' union. */
  readonly wsn?: { readonly keepFraction: number; readonly frozenFraction: number };
  /** PyTorch reference workload name. */
  readonly torch: string;
  /** Unmasked workload this masked one is compared with. */
  readonly unmaskedOf?: string;
}

interface Harness {
  readonly network: Network;
  readonly variables: Map<string, tf.Variable>;
  readonly optimizer: Optimizer;
  readonly weight?: ForwardOptions['weight'];
  readonly derivedWeights?: DerivedWeights;
  readonly extra: tf.Tensor[];
}

/** Builds the network, scores, update masks and optimizer of a workload. */
function _harness(spec: TrainStepSpec): Harness {
  const network = createNetwork(spec.architecture, { seed: 1, heads: [spec.headWidth], ...spec.networkOptions } as never);
  const variables = new Map(network.params);
  const extra: tf.Tensor[] = [];
  if (!spec.wsn) return { network, variables, optimizer: adam(variables, { learningRate: LEARNING_RATE }), extra };

  const { keepFraction, frozenFraction } = spec.wsn;
  const scores = new Map<string, tf.Variable>();
  const masks = new Map<string, tf.Tensor>();
  const rng = new Rng(deriveSeed(1, 'bench-union'));
  for (const p of network.paramInfo.filter((q) => q.maskable)) {
    const initial = kaimingUniform(p.shape, p.fanIn, deriveSeed(1, 'wsn-score', p.name));
    const score = tf.variable(initial, true);
    initial.dispose();
    scores.set(p.name, score);
    variables.set(`score:${p.name}`, score);
    // 1 = may move, 0 = in the union of earlier tasks' masks (frozen exactly, as WSN does).
    const bits = new Uint8Array(score.size);
    for (let i = 0; i < bits.length; i++) bits[i] = rng.next() < frozenFraction ? 0 : 1;
    masks.set(p.name, tf.tensor(bits, [...p.shape], 'int32'));
  }
  const optimizer = adam(variables, { learningRate: LEARNING_RATE });
  for (const [name, mask] of masks) optimizer.setUpdateMask(name, mask);
  extra.push(...scores.values(), ...masks.values());
  const derivedWeights = topCDerivedWeights([...scores.keys()].map((name) => ({ weight: name, score: `score:${name}` })), variables, keepFraction);
  const weight: ForwardOptions['weight'] = (info, w) => derivedWeights.weight(info, w);
  return { network, variables, optimizer, weight, derivedWeights, extra };
}

/** A fixed, seeded batch: inputs uniform in [−1, 1], targets uniform over the head. */
function _fixedBatch(network: Network, batch: number, classes: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const [h, w, c] = network.inputShape;
  const rng = new Rng(7);
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(batch * h * w * c), -1, 1), [batch, h, w, c]);
  const y = tf.tensor1d(Int32Array.from({ length: batch }, () => rng.int(classes)), 'int32');
  return { x, y };
}

/**
 * A training-step workload: each repetition is one `trainTask` epoch of `steps` steps over
 * clones of one fixed batch; samples/s = steps · batch / wall time.
 */
export function trainStepWorkload(spec: TrainStepSpec): Workload {
  return {
    name: spec.name,
    title: spec.title,
    unit: 'samples/s',
    batch: spec.batch,
    torch: spec.torch,
    unmaskedOf: spec.unmaskedOf,
    async prepare(settings: WorkloadSettings): Promise<Prepared> {
      const harness = _harness(spec);
      const { network, variables, optimizer, weight, derivedWeights } = harness;
      const { x, y } = _fixedBatch(network, spec.batch, spec.headWidth);
      const rows = Int32Array.from({ length: spec.batch }, (_, i) => i);
      let epochSeed = 0;
      const run = async (steps: number): Promise<void> => {
        await trainTask({
          task: 0,
          variables,
          optimizer,
          derivedWeights,
          epochs: 1,
          seed: ++epochSeed,
          // trainTask disposes each batch it gets: hand it clones (they share x's data).
          batches: function* (): Iterable<Batch> {
            for (let i = 0; i < steps; i++) yield { x: tf.clone(x), y: tf.clone(y), rows };
          },
          loss: (b, step) => {
            // The same loss trainOnTask gives every method.
            const logits = network.logits(b.x, 0, { training: true, weight, dropoutSeed: step.seed });
            return { loss: crossEntropy(logits, b.y), logits };
          },
        });
      };
      const steps = settings.quick ? spec.steps.quick : spec.steps.full;
      return {
        async rep() {
          const t0 = performance.now();
          await run(steps);
          return { samples: steps * spec.batch, ms: performance.now() - t0 };
        },
        profileStep: () => run(1),
        dispose() {
          optimizer.dispose();
          tf.dispose([x, y, ...harness.extra]);
          network.dispose();
        },
      };
    },
  };
}
