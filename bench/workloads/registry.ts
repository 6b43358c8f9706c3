/**
 * Every benchmark workload, in the order the table prints them (issue 10). Adding one means one
 * file (or one spec) plus one entry here.
 */
import { dataBatches } from './data-batches';
import { topCOmniglot } from './top-c';
import { trainStepWorkload } from './train-step';
import type { Workload } from './types';

/** WSN's default kept fraction c, used by the masked steps. */
export const WSN_KEEP = 0.5;
/** Share of weights frozen by earlier tasks' union in the masked steps (a mid-sequence task). */
export const WSN_FROZEN = 0.5;

const wsn = { keepFraction: WSN_KEEP, frozenFraction: WSN_FROZEN };

/** The workloads by name, in table order. */
export const workloads: readonly Workload[] = Object.freeze([
  trainStepWorkload({
    name: 'mlp-b64', title: 'PMNIST MLP 784-100-100 + head 10, batch 64', architecture: 'mlp',
    batch: 64, headWidth: 10, steps: { full: 100, quick: 30 }, torch: 'mlp-b64',
  }),
  trainStepWorkload({
    name: 'mlp-b256', title: 'PMNIST MLP 784-100-100 + head 10, batch 256', architecture: 'mlp',
    batch: 256, headWidth: 10, steps: { full: 40, quick: 12 }, torch: 'mlp-b256',
  }),
  trainStepWorkload({
    name: 'alexnet', title: 'AlexNet-like (CIFAR-100 Split), batch 64, dropout on, head 100', architecture: 'alexnet',
    batch: 64, headWidth: 100, steps: { full: 4, quick: 1 }, torch: 'alexnet',
  }),
  trainStepWorkload({
    name: 'resnet18', title: 'reduced ResNet-18 nf=20 (5-Datasets), batch 64, head 10', architecture: 'resnet18-reduced',
    networkOptions: { nf: 20 }, batch: 64, headWidth: 10, steps: { full: 2, quick: 1 }, torch: 'resnet18',
  }),
  trainStepWorkload({
    name: 'mlp-b64-wsn', title: 'WSN masked step (top-c STE, W⊙m, union frozen), MLP batch 64', architecture: 'mlp',
    batch: 64, headWidth: 10, steps: { full: 100, quick: 30 }, wsn, torch: 'mlp-b64-wsn', unmaskedOf: 'mlp-b64',
  }),
  trainStepWorkload({
    name: 'alexnet-wsn', title: 'WSN masked step, AlexNet-like batch 64', architecture: 'alexnet',
    batch: 64, headWidth: 100, steps: { full: 4, quick: 1 }, wsn, torch: 'alexnet-wsn', unmaskedOf: 'alexnet',
  }),
  topCOmniglot,
  dataBatches,
]);
