// Public API of src/methods: re-exports only.
export * from './types';
export * from './registry';
export * from './train-on-task';
export * from './evaluate-learner';
export { clnp, type ClnpLearner, type ClnpOptions } from './clnp';
export { clnpCapacityFigure, clnpNeuronTable, type ClnpCapacityOptions, type ClnpNeuronRow } from './clnp-diagnostics';
export { gracefulThreshold, thresholdCandidates, type GracefulThresholdOptions, type ThresholdChoice } from './graceful-threshold';
export { neuronActivity, type NeuronActivityOptions } from './neuron-activity';
export { neuronArchitectures, neuronChainArchitectures, neuronLayers, type NeuronLayer } from './neuron-layers';
export * from './network-for-setup';
export * from './wsn';
export * from './wsn-diagnostics';
