/**
 * Test helper: checks Jupyter messages (as recorded by drive_kernel.py) against the messaging
 * spec 5.3: header fields, parent_header = the request's header, and content per msg_type.
 */

/** A recorded message. */
export interface RecordedMessage {
  msg_type: string;
  header: Record<string, unknown>;
  parent_header: Record<string, unknown>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: number;
}

/** One request with its reply and iopub messages. */
export interface Exchange {
  request: RecordedMessage;
  reply: RecordedMessage | null;
  iopub: RecordedMessage[];
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): boolean => Number.isInteger(v);
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStrArray = (v: unknown): boolean => Array.isArray(v) && v.every(isStr);

function bundleProblems(data: unknown): string[] {
  if (!isObj(data)) return ['data is not an object'];
  const out: string[] = [];
  for (const [mime, rep] of Object.entries(data)) {
    const json = mime === 'application/json' || mime.endsWith('+json');
    if (json && !isObj(rep) && !Array.isArray(rep)) out.push(`${mime} is not a JSON object`);
    if (!json && !isStr(rep)) out.push(`${mime} is not a string`);
  }
  return out;
}

const errorFields = (c: Record<string, unknown>): string[] =>
  [isStr(c['ename']) || 'ename', isStr(c['evalue']) || 'evalue', isStrArray(c['traceback']) || 'traceback'].filter(isStr).map((f) => `${f} missing or mistyped`);

/** Content checks per message type the kernel sends. */
const CONTENT: Record<string, (c: Record<string, unknown>) => string[]> = {
  status: (c) => (['busy', 'idle', 'starting'].includes(String(c['execution_state'])) ? [] : ['bad execution_state']),
  stream: (c) => [(c['name'] === 'stdout' || c['name'] === 'stderr') || 'name', isStr(c['text']) || 'text'].filter(isStr),
  execute_input: (c) => [isStr(c['code']) || 'code', isInt(c['execution_count']) || 'execution_count'].filter(isStr),
  execute_result: (c) => [
    ...(isInt(c['execution_count']) ? [] : ['execution_count']),
    ...(isObj(c['metadata']) ? [] : ['metadata']),
    ...bundleProblems(c['data']),
    ...(isObj(c['data']) && isStr(c['data']['text/plain']) ? [] : ['text/plain missing']),
  ],
  display_data: (c) => [...bundleProblems(c['data']), ...(isObj(c['metadata']) ? [] : ['metadata']), ...(c['transient'] === undefined || isObj(c['transient']) ? [] : ['transient'])],
  update_display_data: (c) => [
    ...bundleProblems(c['data']),
    ...(isObj(c['metadata']) ? [] : ['metadata']),
    ...(isObj(c['transient']) && isStr(c['transient']['display_id']) ? [] : ['transient.display_id']),
  ],
  error: errorFields,
  execute_reply: (c) => {
    const s = c['status'];
    if (!isInt(c['execution_count'])) return ['execution_count'];
    if (s === 'ok') return [Array.isArray(c['payload']) || 'payload', isObj(c['user_expressions']) || 'user_expressions'].filter(isStr);
    if (s === 'error') return errorFields(c);
    return s === 'aborted' ? [] : [`bad status ${String(s)}`];
  },
  kernel_info_reply: (c) => {
    const li = c['language_info'];
    return [
      c['status'] === 'ok' || 'status',
      /^5\.\d+$/.test(String(c['protocol_version'])) || 'protocol_version',
      isStr(c['implementation']) || 'implementation',
      isStr(c['implementation_version']) || 'implementation_version',
      isStr(c['banner']) || 'banner',
      (isObj(li) && isStr(li['name']) && isStr(li['version']) && isStr(li['mimetype']) && isStr(li['file_extension'])) || 'language_info',
    ].filter(isStr);
  },
  comm_info_reply: (c) =>
    c['status'] === 'ok' && isObj(c['comms']) && Object.values(c['comms']).every((v) => isObj(v) && isStr(v['target_name'])) ? [] : ['comms'],
  comm_open: (c) => [isStr(c['comm_id']) || 'comm_id', isStr(c['target_name']) || 'target_name', isObj(c['data']) || 'data'].filter(isStr),
  comm_msg: (c) => [isStr(c['comm_id']) || 'comm_id', isObj(c['data']) || 'data'].filter(isStr),
  comm_close: (c) => [isStr(c['comm_id']) || 'comm_id', isObj(c['data']) || 'data'].filter(isStr),
  complete_reply: (c) =>
    [c['status'] === 'ok' || 'status', isStrArray(c['matches']) || 'matches', isInt(c['cursor_start']) || 'cursor_start', isInt(c['cursor_end']) || 'cursor_end', isObj(c['metadata']) || 'metadata'].filter(isStr),
  inspect_reply: (c) => [c['status'] === 'ok' || 'status', typeof c['found'] === 'boolean' || 'found', isObj(c['data']) || 'data', isObj(c['metadata']) || 'metadata'].filter(isStr),
  is_complete_reply: (c) =>
    ['complete', 'incomplete', 'invalid', 'unknown'].includes(String(c['status'])) && (c['status'] !== 'incomplete' || isStr(c['indent'])) ? [] : ['status/indent'],
  history_reply: (c) => (c['status'] === 'ok' && Array.isArray(c['history']) ? [] : ['history']),
  interrupt_reply: (c) => (c['status'] === 'ok' ? [] : ['status']),
  shutdown_reply: (c) => (c['status'] === 'ok' && typeof c['restart'] === 'boolean' ? [] : ['status/restart']),
};

/** Problems with one message sent by the kernel in reply to (or caused by) `request`. */
export function messageProblems(m: RecordedMessage, request: RecordedMessage): string[] {
  const where = `${m.msg_type}`;
  const out: string[] = [];
  const h = m.header;
  for (const f of ['msg_id', 'msg_type', 'session', 'username', 'date', 'version']) {
    if (!isStr(h[f]) || (f !== 'username' && h[f] === '')) out.push(`${where}: header.${f} missing`);
  }
  if (isStr(h['date']) && Number.isNaN(Date.parse(h['date']))) out.push(`${where}: header.date not ISO 8601`);
  if (!/^5\.\d+$/.test(String(h['version']))) out.push(`${where}: header.version ${String(h['version'])}`);
  if (h['msg_type'] !== m.msg_type) out.push(`${where}: header.msg_type differs`);
  const p = m.parent_header;
  for (const f of ['msg_id', 'msg_type', 'session', 'username']) {
    if (p[f] !== request.header[f]) out.push(`${where}: parent_header.${f} ${String(p[f])} != request ${String(request.header[f])}`);
  }
  if (!isObj(m.metadata)) out.push(`${where}: metadata not an object`);
  const check = CONTENT[m.msg_type];
  if (!check) out.push(`${where}: no spec check for this message type`);
  else out.push(...check(m.content).map((p2) => `${where}: content ${p2}`));
  return out;
}

/** Problems with every message of an exchange. */
export function exchangeProblems(name: string, x: Exchange): string[] {
  const all = [...(x.reply ? [x.reply] : []), ...x.iopub];
  return all.flatMap((m) => messageProblems(m, x.request).map((p) => `${name}: ${p}`));
}
