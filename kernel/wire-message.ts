/**
 * One Jupyter wire-protocol message (messaging spec 5.3): parse, verify, sign and send.
 *
 * tslab's own `ZmqMessage` is not exported and stringifies binary buffers, so the TicketLab
 * server decodes and encodes messages with this class and hands instances to tslab's
 * per-type handlers, which only use `content`, `createReply()` and `signAndSend()`.
 */
import { createHmac, randomBytes } from 'crypto';

/** The header of a Jupyter message (spec: "General Message Format"). */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** Anything zeromq.js sockets accept in `send`. */
export interface SendSocket {
  send(frames: Array<Buffer | string>): Promise<void> | void;
}

const DELIM = Buffer.from('<IDS|MSG>');
/** Protocol version spoken by the TicketLab kernel. */
export const PROTOCOL_VERSION = '5.3';
/** A fresh session id for messages the kernel originates. */
export const KERNEL_SESSION = randomBytes(16).toString('hex');

/** A decoded Jupyter message with routing identities and binary buffers. */
export class WireMessage {
  identity: Buffer[] = [];
  header: MessageHeader;
  parent: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown> = {};
  content: Record<string, unknown> = {};
  /** Binary buffers after the four JSON frames (widgets put arrays here). */
  buffers: Buffer[] = [];

  constructor(header: MessageHeader, parent: MessageHeader | Record<string, never> = {}) {
    this.header = header;
    this.parent = parent;
  }

  /**
   * Decodes raw frames from a ROUTER socket and checks the HMAC-SHA256 signature.
   * @throws Error when the delimiter is missing or the signature does not match.
   */
  static fromFrames(key: string, frames: Buffer[]): WireMessage {
    const at = frames.findIndex((f) => f.equals(DELIM));
    if (at < 0) throw new Error('WireMessage.fromFrames: message has no <IDS|MSG> delimiter.');
    const signature = frames[at + 1].toString();
    const parts = frames.slice(at + 2, at + 6);
    if (key) {
      const want = sign(key, parts);
      if (want !== signature) {
        throw new Error(`WireMessage.fromFrames: bad HMAC signature ${signature}; expected ${want}.`);
      }
    }
    const msg = new WireMessage(JSON.parse(parts[0].toString()), JSON.parse(parts[1].toString()));
    msg.identity = frames.slice(0, at);
    msg.metadata = JSON.parse(parts[2].toString());
    msg.content = JSON.parse(parts[3].toString());
    msg.buffers = frames.slice(at + 6);
    return msg;
  }

  /** A new header for a message of `msgType` in `session`. */
  static header(msgType: string, session: string, username: string): MessageHeader {
    return {
      msg_id: randomBytes(16).toString('hex'),
      msg_type: msgType,
      session,
      username,
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    };
  }

  /**
   * A message caused by this one: same routing identities, `parent_header` = this header.
   * The type defaults to the request's (tslab's handlers overwrite it), as tslab does.
   */
  createReply(msgType?: string): WireMessage {
    const h = this.header;
    const reply = new WireMessage(
      WireMessage.header(msgType ?? h.msg_type, h.session ?? KERNEL_SESSION, h.username ?? 'kernel'),
      h,
    );
    reply.identity = this.identity;
    return reply;
  }

  /** Signs the four JSON frames and sends identities, delimiter, signature, frames and buffers. */
  signAndSend(key: string, sock: SendSocket): void {
    const parts = [this.header, this.parent, this.metadata, this.content].map((p) => JSON.stringify(p));
    const frames: Array<Buffer | string> = [...this.identity, DELIM, sign(key, parts), ...parts, ...this.buffers];
    // zeromq.js 6 allows one send in flight per socket: chain sends per socket so that
    // bursts (status, stream, display, reply) keep their order and never hit EBUSY.
    const prev = sendQueues.get(sock) ?? Promise.resolve();
    const next = prev.then(() => sock.send(frames)).catch(() => undefined); // socket closed: drop
    sendQueues.set(sock, next);
  }
}

const sendQueues = new WeakMap<SendSocket, Promise<void>>();

function sign(key: string, parts: Array<Buffer | string>): string {
  if (!key) return '';
  const hmac = createHmac('sha256', key);
  for (const p of parts) hmac.update(p);
  return hmac.digest('hex');
}
