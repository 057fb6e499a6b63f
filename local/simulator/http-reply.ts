import { type ServerResponse, STATUS_CODES } from 'node:http';
import { clientGone } from '../loopback-http';

/** A complete answer, built before it is sent so a fault can still tear or cut it. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Text, or its UTF-8 bytes when encoded ahead (see `encodedReply`). */
  readonly body: string | Buffer;
}

/** The reply with its body already encoded, so sending it later costs only the write. */
export function encodedReply(reply: Reply): Reply {
  return { ...reply, body: bodyBytes(reply) };
}

export function bodyBytes(reply: Reply): Buffer {
  return typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
}

export function jsonReply(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** The error shape of the API's 1.4.1 specification: `{"status": 401, "message": "..."}`. */
export function errorReply(status: number, message = STATUS_CODES[status] ?? 'Error'): Reply {
  return jsonReply(status, JSON.stringify({ status, message }));
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (clientGone(res)) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

/** Promises the whole body in content-length, sends the first half, then cuts the connection. */
export function sendTorn(res: ServerResponse, reply: Reply): void {
  if (clientGone(res)) return;
  const body = bodyBytes(reply);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}
