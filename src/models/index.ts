// Public API of src/models: re-exports only.
export * from './types';
export * from './init';
export * as layers from './layers';
export { NetworkBase, type NetworkOptions, type NetworkSpec } from './network-base';
export { LayerRunner, type ParamLookup } from './layer-runner';
export * from './mlp';
export * from './alexnet';
export * from './lenet';
export * from './tinynet';
export * from './resnet18-reduced';
export * from './preact-resnet18';
export * from './architectures';
export * from './count-parameters';
