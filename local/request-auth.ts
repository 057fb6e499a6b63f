import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { readBodyUpTo } from './loopback-http';

/**
 * Credentials made for one local run: the stand-ins answer only requests signed with them, so
 * another local process (or a web page reaching loopback through DNS rebinding) gets nothing.
 */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Fresh random credentials, shaped like AWS keys (20-character id, 40-character secret). */
export function newLocalCredentials(): LocalCredentials {
  return {
    accessKeyId: `ASIALOCAL${randomBytes(8).toString('hex').toUpperCase().slice(0, 11)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

/** Why a request was refused, as AWS names it (AWS Secrets Manager API Reference, "Common Errors"). */
export interface AuthRefusal {
  readonly type: string;
  readonly status: number;
  readonly message: string;
}

/** `Credential=<key id>/<date>/<region>/<service>/aws4_request`, then the signed headers and signature. */
const AUTHORIZATION = new RegExp(
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?/.source +
    /SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.source,
);
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/**
 * "The request reached the service more than 15 minutes after the date stamp on the request ... or
 * the date stamp on the request is more than 15 minutes in the future." (Common Errors,
 * RequestExpired)
 */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** node:crypto's SHA-256 in the shape the signer expects (a class, HMAC when given a secret). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const refusal = (type: string, status: number, message: string): AuthRefusal => ({ type, status, message });

/** What the headers of a request claim about its signature, to verify once its body is read. */
export interface ClaimedSignature {
  readonly signature: string;
  readonly signedHeaders: readonly string[];
  readonly signingDate: Date;
  readonly region: string;
  readonly service: string;
}

/**
 * Checks what every loopback stand-in checks before it answers: the Host header names the address
 * it bound (a DNS-rebinding page sends its own host name), and the request carries a Signature
 * Version 4 signature made with this run's credentials, recomputed here with the SDK's own signer.
 * The checks split in two so that a stand-in reads no body before the headers have passed:
 * `checkHeaders` (host, scheme, key id, date) and `verify` (the signature, which covers the body).
 */
export class RequestAuthenticator {
  constructor(
    private readonly credentials: LocalCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  /** Both checks, for a request whose body is already read. */
  async check(req: IncomingMessage, body: Uint8Array, boundHost: string): Promise<AuthRefusal | undefined> {
    const claimed = this.checkHeaders(req, boundHost);
    return 'type' in claimed ? claimed : this.verify(req, body, claimed);
  }

  /** Everything that needs no body: refused here, a request is answered without reading it. */
  checkHeaders(req: IncomingMessage, boundHost: string): AuthRefusal | ClaimedSignature {
    const host = req.headers.host;
    if (host !== boundHost) {
      return refusal('InvalidHostHeader', 421, `This stand-in answers only requests for ${boundHost}.`);
    }
    const authorization = headerText(req.headers, 'authorization');
    if (authorization === undefined) {
      return refusal('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
    }
    const parsed = AUTHORIZATION.exec(authorization);
    if (!parsed) {
      return refusal('IncompleteSignature', 400, 'The request signature does not conform to AWS standards.');
    }
    const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] =
      parsed as unknown as string[];
    if (!sameText(accessKeyId ?? '', this.credentials.accessKeyId)) {
      return refusal('InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
    }
    const amzDate = headerText(req.headers, 'x-amz-date') ?? '';
    const date = AMZ_DATE.exec(amzDate);
    const signedHeaders = (signedHeaderList ?? '').split(';');
    if (!date || !amzDate.startsWith(shortDate ?? '-') || !signedHeaders.includes('host')) {
      return refusal('IncompleteSignature', 400, 'The request signature does not conform to AWS standards.');
    }
    const signingDate = new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`);
    if (Math.abs(this.now() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
      return refusal(
        'RequestExpired',
        400,
        'Signature expired: the request date is more than 15 minutes from the server time.',
      );
    }
    return {
      signature: signature ?? '',
      signedHeaders,
      signingDate,
      region: region ?? '',
      service: service ?? '',
    };
  }

  /** The signature the headers claim, recomputed over the request with its body. */
  async verify(
    req: IncomingMessage,
    body: Uint8Array,
    claimed: ClaimedSignature,
  ): Promise<AuthRefusal | undefined> {
    const expected = await this.expectedSignature(
      req,
      body,
      claimed.signedHeaders,
      claimed.signingDate,
      claimed.region,
      claimed.service,
    );
    if (!sameText(expected, claimed.signature)) {
      return refusal(
        'SignatureDoesNotMatch',
        403,
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    return undefined;
  }

  private async expectedSignature(
    req: IncomingMessage,
    body: Uint8Array,
    signedHeaders: readonly string[],
    signingDate: Date,
    region: string,
    service: string,
  ): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) headers[name] = headerText(req.headers, name) ?? '';
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] ?? '') : values;
    }
    const signed = await signer(this.credentials, region, service).sign(
      {
        method: req.method ?? 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        path: url.pathname,
        query,
        headers,
        body,
      },
      {
        signingDate,
        signableHeaders: new Set(signedHeaders),
        signingRegion: region,
        signingService: service,
      },
    );
    const computed = AUTHORIZATION.exec(String(signed.headers.authorization ?? ''));
    return computed?.[6] ?? '';
  }
}

function signer(credentials: LocalCredentials, region: string, service: string): SignatureV4 {
  return new SignatureV4({
    credentials,
    region,
    service,
    sha256: NodeSha256,
    // The SDK's clients for these services sign no payload-hash header; adding one would change the
    // signature.
    applyChecksum: false,
  });
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Signs a request for a stand-in at `host` (for tools between a client and a stand-in, such as a
 * counting proxy, which change the Host header and so must sign again). Returns the headers to send.
 */
export async function signForStandIn(
  request: { method: string; path: string; headers: Record<string, string>; body: Uint8Array },
  host: string,
  credentials: LocalCredentials,
  scope: { region: string; service: string },
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { ...request.headers, host };
  delete headers.authorization;
  const signed = await signer(credentials, scope.region, scope.service).sign({
    method: request.method,
    protocol: 'http:',
    hostname: host.split(':')[0] ?? host,
    path: request.path,
    query: {},
    headers,
    body: request.body,
  });
  return signed.headers as Record<string, string>;
}

/** A request over the service's documented size, refused before it is read further. */
export function tooLarge(maxBytes: number): AuthRefusal {
  return refusal(
    'RequestEntityTooLarge',
    413,
    `Request body larger than ${maxBytes} bytes, the most this API accepts in one request.`,
  );
}

/**
 * The body of a request whose headers passed and whose signature matches, read up to `maxBytes`
 * (the API's documented request limit, shared/contracts/aws-limits.ts); otherwise why it is refused. Headers
 * are checked first, so an unsigned request is answered without a byte of its body being read;
 * the caller closes the connection after a refusal (closeAfterReply), leaving the rest unread.
 */
export async function authenticatedBody(
  req: IncomingMessage,
  auth: RequestAuthenticator,
  boundHost: string,
  maxBytes: number,
): Promise<{ readonly body: Buffer } | { readonly refused: AuthRefusal }> {
  const claimed = auth.checkHeaders(req, boundHost);
  if ('type' in claimed) return { refused: claimed };
  const body = await readBodyUpTo(req, maxBytes);
  if (body === undefined) return { refused: tooLarge(maxBytes) };
  const refused = await auth.verify(req, body, claimed);
  return refused ? { refused } : { body };
}
