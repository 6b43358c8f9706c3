/**
 * The method registry: one line per continual method, keys in kebab-case (the name type comes
 * from the keys). Adding a method: one file in src/methods/ plus one line here.
 */
import { expectOneOf } from '../errors';
import { clnp } from './clnp';
import { ewc } from './ewc';
import { finetune } from './finetune';
import { multitask } from './multitask';
import { packnet } from './packnet';
import { stl } from './stl';
import { supsup } from './supsup';
import type { ContinualMethod } from './types';
import { wsn } from './wsn';

/** Every continual method by registry key. */
export const methods = Object.freeze({
  clnp,
  wsn,
  finetune,
  ewc,
  packnet,
  supsup,
  stl,
  multitask,
} satisfies Record<string, ContinualMethod<any>>);

/** A registry key of {@link methods}. */
export type MethodName = keyof typeof methods;

/** Names of every registered method, sorted. */
export function methodNames(): MethodName[] {
  return (Object.keys(methods) as MethodName[]).sort();
}

/**
 * Looks a method up by name.
 * @throws UnknownNameError naming the known methods.
 * @example
 * ```ts
 * const wsn = getMethod('wsn');
 * ```
 */
export function getMethod(name: string): ContinualMethod<any> {
  const key = expectOneOf('method', name, methodNames());
  return methods[key] as ContinualMethod<any>;
}
