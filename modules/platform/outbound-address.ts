import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where Flagpole may send requests on behalf of a tenant (webhooks). Loopback, private,
 * link-local, unique-local, multicast, unspecified, broadcast, documentation and other
 * reserved ranges are refused, in IPv4, IPv6 and the IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64), unless an operator allow-listed them
 * (FLAGPOLE_WEBHOOK_ALLOW_PRIVATE). Names are resolved when the request is made, every
 * address is checked, and the connection goes to the checked address (no DNS rebinding).
 */

const BLOCKED_V4 = [
  '0.0.0.0/8', // "this network", 0.0.0.0
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16',
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
];
const BLOCKED_V6 = [
  '::/128',
  '::1/128',
  '64:ff9b:1::/48', // local-use NAT64
  '100::/64', // discard-only
  '2001::/23', // IETF protocol assignments (Teredo among them)
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4: embeds an IPv4 address of any kind
  '3fff::/20', // documentation
  'fc00::/7', // unique-local
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated)
  'ff00::/8', // multicast
];
/** IPv6 prefixes whose last 32 bits are an IPv4 address the connection really goes to (mapped is handled by BlockList). */
const EMBEDDING_V4 = ['::', '64:ff9b::'];

/** Names internal whatever they resolve to today (metadata.google.internal among them); single labels only resolve locally. */
const INTERNAL_NAME = /(^[^.]+$)|(^|\.)(localhost|internal|local|localdomain|lan|intranet|home\.arpa)$/;

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128); undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function addRange(list: BlockList, cidr: Cidr): void {
  list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  if (cidr.family === 'ipv4') {
    for (const prefix of EMBEDDING_V4) list.addSubnet(`${prefix}${cidr.address}`, 96 + cidr.prefix, 'ipv6');
  }
}

const blockedRanges = new BlockList();
for (const c of [...BLOCKED_V4, ...BLOCKED_V6]) addRange(blockedRanges, parseCidr(c)!);

/** A target Flagpole refuses to send to; its message is the same whatever the address was. */
export class BlockedAddressError extends Error {
  constructor() {
    super('the address is not allowed');
  }
}

/** Why a webhook URL is malformed (not which address it names), or undefined when it is well formed. */
export function urlSyntaxProblem(raw: string): string | undefined {
  // WHATWG URL repairs `http:///host`, `http:host` and backslashes; a URL must already be in its plain form
  if (!/^https?:\/\/[^/?#\\\s@]/i.test(raw) || /[\s\\]/.test(raw)) return 'must be an http or https URL with a host';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an http or https URL with a host';
  }
  if (url.username || url.password) return 'must not contain credentials (user:password@)';
  return undefined;
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The host of a parsed URL as an address or a name: brackets off, lower case, no trailing dot. */
const hostOf = (url: URL): string =>
  url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

export class OutboundAddressPolicy {
  private readonly allowed = new BlockList();
  private readonly hasAllowList: boolean;

  constructor(
    allowPrivate: string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    for (const text of allowPrivate) {
      const cidr = parseCidr(text);
      if (!cidr) throw new Error(`not a CIDR: ${text}`);
      addRange(this.allowed, cidr);
    }
    this.hasAllowList = allowPrivate.length > 0;
  }

  isAllowedAddress(address: string): boolean {
    const family = isIP(address);
    if (!family) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return this.allowed.check(address, type) || !blockedRanges.check(address, type);
  }

  /**
   * What creating a webhook can know without DNS: the URL's form, a literal address (odd
   * IPv4 spellings are normalised by the URL parser), and names that are internal by
   * definition. Those names are refused only while nothing is allow-listed: with an
   * allow-list, an internal name may be the intended receiver, and delivery decides.
   */
  targetProblem(raw: string): string | undefined {
    const syntax = urlSyntaxProblem(raw);
    if (syntax) return syntax;
    const host = hostOf(new URL(raw));
    if (isIP(host))
      return this.isAllowedAddress(host) ? undefined : 'must not point at a private, loopback or reserved address';
    if (INTERNAL_NAME.test(host) && !this.hasAllowList) return 'must not point at an internal host name';
    return undefined;
  }

  /** Every address `hostname` resolves to, all of them allowed; throws BlockedAddressError otherwise. */
  async addressesOf(hostname: string): Promise<Array<{ address: string; family: number }>> {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      if (!this.isAllowedAddress(host)) throw new BlockedAddressError();
      return [{ address: host, family: isIP(host) }];
    }
    const addresses = await this.resolve(host);
    if (addresses.length === 0 || addresses.some((a) => !this.isAllowedAddress(a.address)))
      throw new BlockedAddressError();
    return addresses;
  }

  /** For `http.request({ lookup })`: the socket connects to an address this policy checked. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.addressesOf(hostname).then(
      (all) => {
        const wanted = all.filter((a) => !options.family || a.family === options.family);
        if (wanted.length === 0)
          return callback(Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as (err: null, addresses: typeof wanted) => void)(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (err: Error) => callback(err, '', 0),
    );
  };
}

export type PostOutcome = { kind: 'answered'; statusCode: number } | { kind: 'blocked' } | { kind: 'unreachable' };

/**
 * One POST through the policy, redirects not followed, the response body not read. The
 * outcome says only what the caller may tell a tenant: a status code, blocked, or
 * unreachable (refused, reset, timed out and unresolvable look the same, so a delivery log
 * cannot be used to map ports).
 */
export function postThrough(
  policy: OutboundAddressPolicy,
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostOutcome> {
  if (urlSyntaxProblem(rawUrl)) return Promise.resolve({ kind: 'blocked' });
  const url = new URL(rawUrl);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  // a literal address never reaches `lookup`, so it is checked here
  if (isIP(literal) && !policy.isAllowedAddress(literal)) return Promise.resolve({ kind: 'blocked' });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = send(url, {
      method: 'POST',
      agent: false,
      lookup: policy.lookup,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => finish({ kind: 'unreachable' }), timeoutMs);
    req.on('response', (res) => {
      res.resume();
      finish({ kind: 'answered', statusCode: res.statusCode ?? 0 });
    });
    req.on('error', (err) =>
      finish(err instanceof BlockedAddressError ? { kind: 'blocked' } : { kind: 'unreachable' }),
    );
    req.end(body);
  });
}
