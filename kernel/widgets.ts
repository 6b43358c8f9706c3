/**
 * A small ipywidgets-compatible widget set (protocol 2.1, `@jupyter-widgets/controls` 2.0 as
 * in ipywidgets 8): IntSlider, FloatSlider, IntProgress, FloatProgress, Dropdown and Button.
 * Each widget is a model on a `jupyter.widget` comm; front-end changes (`method: 'update'`)
 * update the kernel-side value and run `observe` callbacks, Button clicks arrive as
 * `method: 'custom'` with `{ event: 'click' }`. Assigning `widget.value` syncs the front-end.
 */
import { Comm, CommData, commManager } from './comm-manager';
import { displaySymbol, MimeBundle } from './display';
import { InvalidArgumentError } from '../src/errors';

/** ipywidgets message protocol version spoken here. */
export const WIDGET_PROTOCOL_VERSION = '2.1.0';
const CONTROLS = { module: '@jupyter-widgets/controls', version: '2.0.0' };
const BASE = { module: '@jupyter-widgets/base', version: '2.0.0' };

/** A change seen by `observe` callbacks. */
export interface WidgetChange<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: Widget;
}

type Observer = (change: WidgetChange) => void;

/** Base class: one widget model synced over one comm. */
export class Widget {
  readonly comm: Comm;
  protected readonly state: Record<string, unknown>;
  private readonly observers = new Map<string, Observer[]>();
  private readonly customHandlers: Array<(content: CommData) => void> = [];

  /**
   * @param modelName e.g. `'IntSliderModel'`
   * @param viewName e.g. `'IntSliderView'`, or null for models without views (Layout, styles)
   * @param state initial trait values
   * @param widgetModule the model/view module and version
   */
  constructor(modelName: string, viewName: string | null, state: Record<string, unknown>, widgetModule = CONTROLS) {
    this.state = {
      _model_name: modelName,
      _model_module: widgetModule.module,
      _model_module_version: widgetModule.version,
      _view_name: viewName,
      _view_module: viewName ? widgetModule.module : null,
      _view_module_version: viewName ? widgetModule.version : '',
      _view_count: null,
      ...state,
    };
    this.comm = commManager().open('jupyter.widget', { state: this.state, buffer_paths: [] }, { version: WIDGET_PROTOCOL_VERSION });
    this.comm.onMsg((data) => this.handle(data));
    registry.set(this.comm.id, this);
    this.comm.onClose(() => registry.delete(this.comm.id));
  }

  /** The model id the front-end knows this widget by. */
  get modelId(): string {
    return this.comm.id;
  }

  /** A copy of the full model state (what `request_state` returns). */
  getState(): Record<string, unknown> {
    return { ...this.state };
  }

  /** Reads one trait. */
  get(name: string): unknown {
    return this.state[name];
  }

  /** Sets traits, notifies observers and sends one `update` to the front-end. */
  set(patch: Record<string, unknown>): void {
    const changed = this.applyPatch(patch);
    if (Object.keys(changed).length) this.comm.send({ method: 'update', state: changed, buffer_paths: [] });
  }

  /** Calls `fn` when trait `name` (or any trait, with `'*'`) changes, from either side. */
  observe(name: string, fn: (change: WidgetChange) => void): this {
    const list = this.observers.get(name) ?? [];
    list.push(fn);
    this.observers.set(name, list);
    return this;
  }

  /** Calls `fn` for `custom` messages from the front-end. */
  onCustom(fn: (content: CommData) => void): this {
    this.customHandlers.push(fn);
    return this;
  }

  /** Closes the model (the front-end removes its views). */
  close(): void {
    this.comm.close();
  }

  /** Front-end view reference plus a text fallback. */
  [displaySymbol](): MimeBundle {
    return {
      'application/vnd.jupyter.widget-view+json': { model_id: this.modelId, version_major: 2, version_minor: 0 },
      'text/plain': this.toString(),
    };
  }

  /** `IntSlider(value=3)` style summary. */
  toString(): string {
    return `${String(this.state['_model_name']).replace(/Model$/, '')}(value=${JSON.stringify(this.state['value'])})`;
  }

  /** Converts a front-end value to the kernel-side one (Dropdown maps index → value). */
  protected fromFrontend(patch: Record<string, unknown>): Record<string, unknown> {
    return patch;
  }

  protected applyPatch(patch: Record<string, unknown>): Record<string, unknown> {
    const changed: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(patch)) {
      const old = this.state[name];
      if (Object.is(old, value)) continue;
      this.state[name] = value;
      changed[name] = value;
      const change: WidgetChange = { name, old, new: value, owner: this };
      for (const fn of [...(this.observers.get(name) ?? []), ...(this.observers.get('*') ?? [])]) fn(change);
    }
    return changed;
  }

  private handle(data: CommData): void {
    const method = data['method'];
    if (method === 'update') {
      const incoming = this.fromFrontend((data['state'] as Record<string, unknown> | undefined) ?? {});
      const changed = this.applyPatch(incoming);
      if (widgetSettings.echoUpdate && Object.keys(changed).length) {
        this.comm.send({ method: 'echo_update', state: changed, buffer_paths: [] });
      }
    } else if (method === 'request_state') {
      this.comm.send({ method: 'update', state: this.getState(), buffer_paths: [] });
    } else if (method === 'custom') {
      const content = (data['content'] as CommData | undefined) ?? {};
      for (const fn of this.customHandlers) fn(content);
    }
  }
}

/** Kernel-wide widget settings. */
export const widgetSettings = {
  /** Echo front-end updates back (`echo_update`, protocol 2.1); off by default. */
  echoUpdate: false,
};

const registry = new Map<string, Widget>();

function layout(): string {
  return `IPY_MODEL_${new Widget('LayoutModel', 'LayoutView', {}, BASE).modelId}`;
}

function style(modelName: string): string {
  return `IPY_MODEL_${new Widget(modelName, 'StyleView', { description_width: '' }, { module: CONTROLS.module, version: CONTROLS.version }).modelId}`;
}

/** Options shared by value widgets. */
export interface ValueWidgetOptions<T> {
  value?: T;
  description?: string;
  disabled?: boolean;
}

/** A widget holding a `value` trait. */
export class ValueWidget<T> extends Widget {
  /** The current value (assigning sends it to the front-end). */
  get value(): T {
    return this.state['value'] as T;
  }
  set value(v: T) {
    this.set({ value: v });
  }

  /** Calls `fn(newValue, oldValue)` when the value changes. */
  onChange(fn: (value: T, old: T) => void): this {
    return this.observe('value', (c) => fn(c.new as T, c.old as T));
  }
}

/** Options of the numeric sliders and progress bars. */
export interface RangeOptions extends ValueWidgetOptions<number> {
  min?: number;
  max?: number;
  step?: number;
}

function checkRange(fn: string, o: RangeOptions, defaults: { min: number; max: number; step: number }): Required<Pick<RangeOptions, 'min' | 'max' | 'step' | 'value'>> {
  const min = o.min ?? defaults.min;
  const max = o.max ?? defaults.max;
  const step = o.step ?? defaults.step;
  if (!(max > min)) throw new InvalidArgumentError(`${fn}: max must be greater than min; got min=${min}, max=${max}.`);
  const value = o.value ?? min;
  if (value < min || value > max) throw new InvalidArgumentError(`${fn}: value must be in [${min}, ${max}]; got ${value}.`);
  return { min, max, step, value };
}

function slider(kind: 'Int' | 'Float', o: RangeOptions): ValueWidget<number> {
  const r = checkRange(`${kind.toLowerCase()}Slider`, o, { min: 0, max: kind === 'Int' ? 100 : 10, step: kind === 'Int' ? 1 : 0.1 });
  return new ValueWidget<number>(`${kind}SliderModel`, `${kind}SliderView`, {
    ...r,
    description: o.description ?? '',
    disabled: o.disabled ?? false,
    continuous_update: false,
    orientation: 'horizontal',
    readout: true,
    readout_format: kind === 'Int' ? 'd' : '.2f',
    layout: layout(),
    style: style('SliderStyleModel'),
  });
}

function progressBar(kind: 'Int' | 'Float', o: RangeOptions): ValueWidget<number> {
  const r = checkRange(`${kind.toLowerCase()}Progress`, o, { min: 0, max: 100, step: 1 });
  return new ValueWidget<number>(`${kind}ProgressModel`, 'ProgressView', {
    min: r.min,
    max: r.max,
    value: r.value,
    description: o.description ?? '',
    bar_style: '',
    orientation: 'horizontal',
    layout: layout(),
    style: style('ProgressStyleModel'),
  });
}

/** A dropdown: the front-end sends the selected `index`; `value` is the option's value. */
export class Dropdown<T> extends ValueWidget<T> {
  /** @internal use {@link widgets.dropdown} */
  constructor(private readonly choices: Array<{ label: string; value: T }>, index: number, o: ValueWidgetOptions<T>) {
    super('DropdownModel', 'DropdownView', {
      _options_labels: choices.map((c) => c.label),
      index,
      description: o.description ?? '',
      disabled: o.disabled ?? false,
      layout: layout(),
      style: style('DescriptionStyleModel'),
    });
    this.state['value'] = choices[index].value;
    this.observe('index', (c) => {
      const i = c.new as number;
      this.setValueSilently(this.choices[i].value);
    });
  }

  /** The selected position in the options. */
  get index(): number {
    return this.state['index'] as number;
  }

  override get value(): T {
    return this.state['value'] as T;
  }
  override set value(v: T) {
    const i = this.choices.findIndex((c) => Object.is(c.value, v));
    if (i < 0) throw new InvalidArgumentError(`dropdown: ${JSON.stringify(v)} is not one of the options ${JSON.stringify(this.choices.map((c) => c.value))}.`);
    this.set({ index: i });
  }

  private setValueSilently(v: T): void {
    const old = this.state['value'];
    if (Object.is(old, v)) return;
    // value is kernel-only (not a front-end trait): notify observers without sending it.
    this.applyPatch({ value: v });
  }
}

/** A button; `onClick` runs when the front-end sends `{ event: 'click' }`. */
export class Button extends Widget {
  /** @internal use {@link widgets.button} */
  constructor(o: { description?: string; tooltip?: string; disabled?: boolean; icon?: string }) {
    super('ButtonModel', 'ButtonView', {
      description: o.description ?? '',
      tooltip: o.tooltip ?? null,
      disabled: o.disabled ?? false,
      icon: o.icon ?? '',
      button_style: '',
      layout: layout(),
      style: style('ButtonStyleModel'),
    });
  }

  /** Calls `fn` on every click. */
  onClick(fn: (button: Button) => void): this {
    return this.onCustom((content) => {
      if (content['event'] === 'click') fn(this);
    });
  }

  override toString(): string {
    return `Button(description=${JSON.stringify(this.state['description'])})`;
  }
}

/**
 * Widget factories.
 * @example
 * ```ts
 * import { widgets, display } from 'ticketlab/kernel';
 * const task = widgets.intSlider({ min: 1, max: 5, value: 1, description: 'task' });
 * task.onChange((t) => console.log('task', t));
 * task
 * ```
 */
export const widgets = {
  /** Integer slider (default range 0–100, step 1). */
  intSlider: (o: RangeOptions = {}) => slider('Int', o),
  /** Float slider (default range 0–10, step 0.1). */
  floatSlider: (o: RangeOptions = {}) => slider('Float', o),
  /** Integer progress bar (default 0–100). */
  intProgress: (o: RangeOptions = {}) => progressBar('Int', o),
  /** Float progress bar (default 0–100). */
  floatProgress: (o: RangeOptions = {}) => progressBar('Float', o),
  /**
   * Dropdown over `options`: strings, or `[label, value]` pairs.
   * @throws InvalidArgumentError when `options` is empty or `value` is not among them.
   */
  dropdown<T = string>(options: Array<string | [string, T]>, o: ValueWidgetOptions<T> = {}): Dropdown<T> {
    if (options.length === 0) throw new InvalidArgumentError('dropdown: options must not be empty; got [].');
    const choices = options.map((opt) => (typeof opt === 'string' ? { label: opt, value: opt as unknown as T } : { label: opt[0], value: opt[1] }));
    const index = o.value === undefined ? 0 : choices.findIndex((c) => Object.is(c.value, o.value));
    if (index < 0) throw new InvalidArgumentError(`dropdown: value ${JSON.stringify(o.value)} is not one of the options.`);
    return new Dropdown<T>(choices, index, o);
  },
  /** A push button. */
  button: (o: { description?: string; tooltip?: string; disabled?: boolean; icon?: string } = {}) => new Button(o),
};

/** Registers the widget comm targets a front-end opens (ipywidgets 7 and 8 managers). */
export function registerWidgetTargets(): void {
  const comms = commManager();
  // ipywidgets 8: the manager asks for every model's state when a notebook (re)connects.
  comms.registerTarget('jupyter.widget.control', (comm) => {
    comm.onMsg((data) => {
      if (data['method'] !== 'request_states') return;
      const states: Record<string, unknown> = {};
      for (const [id, w] of registry) {
        states[id] = { model_name: w.get('_model_name'), model_module: w.get('_model_module'), model_module_version: w.get('_model_module_version'), state: w.getState() };
      }
      comm.send({ method: 'update_states', states, buffer_paths: {} });
    });
  });
  // ipywidgets 6/7: the manager checks the protocol version on this comm.
  comms.registerTarget('jupyter.widget.version', (comm) => {
    comm.send({ version: WIDGET_PROTOCOL_VERSION });
  });
  // Models created by the front-end: keep the comm so messages are accepted.
  comms.registerTarget('jupyter.widget', () => undefined);
}
