import { loadConfig } from '../../modules/platform/config';
import {
  BlockedAddressError,
  OutboundAddressPolicy,
  parseCidr,
  urlSyntaxProblem,
} from '../../modules/platform/outbound-address';
import { INTERNAL_TARGETS } from '../support/internal-targets';

describe('outbound address policy', () => {
  const policy = new OutboundAddressPolicy([]);

  it.each(INTERNAL_TARGETS)('when a webhook targets %s, then it is refused', (url) => {
    expect(policy.targetProblem(url)).toMatch(/must not point at/);
  });

  it.each([
    'https://hooks.example.com/flagpole',
    'http://8.8.8.8/x',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'https://a.b.example:8443/p?q=1',
  ])('when a webhook targets the public %s, then it is accepted', (url) =>
    expect(policy.targetProblem(url)).toBeUndefined(),
  );

  it.each([
    'http:///nohost',
    'http://',
    'http:example.com',
    'https:/example.com',
    'http://exa mple.com/',
    'http:\\\\example.com\\x',
    'ftp://example.com/',
    'javascript:alert(1)',
    'http://@example.com/',
  ])('when a webhook URL is malformed like %j, then its form is refused', (url) =>
    expect(urlSyntaxProblem(url)).toMatch(/http or https URL with a host/),
  );

  it('when a URL carries credentials, then it is refused', () => {
    expect(urlSyntaxProblem('https://user:pass@hooks.example.com/')).toMatch(/credentials/);
    expect(urlSyntaxProblem('https://hooks.example.com@127.0.0.1/')).toMatch(/credentials/);
  });

  it('when an address is allow-listed, then it and its IPv4-mapped form are allowed, and nothing next to it', () => {
    const allowing = new OutboundAddressPolicy(['127.0.0.1/32', 'fd00:1::/64']);
    expect(allowing.targetProblem('http://127.0.0.1:8080/')).toBeUndefined();
    expect(allowing.isAllowedAddress('::ffff:127.0.0.1')).toBe(true);
    expect(allowing.isAllowedAddress('127.0.0.2')).toBe(false);
    expect(allowing.isAllowedAddress('fd00:1::9')).toBe(true);
    expect(allowing.isAllowedAddress('fd00:2::9')).toBe(false);
    expect(allowing.isAllowedAddress('10.0.0.1')).toBe(false);
  });

  it('when a name resolves to several addresses, then one private among them blocks it, and all-public passes', async () => {
    const answers: Record<string, string[]> = {
      'mixed.example.com': ['93.184.216.34', '10.0.0.7'],
      'mapped.example.com': ['::ffff:192.168.0.1'],
      'public.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
      'nothing.example.com': [],
    };
    const resolving = new OutboundAddressPolicy([], async (host) =>
      answers[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
    await expect(resolving.addressesOf('mixed.example.com')).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolving.addressesOf('mapped.example.com')).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolving.addressesOf('nothing.example.com')).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolving.addressesOf('public.example.com')).resolves.toHaveLength(2);
  });

  it('when the lookup given to a socket answers, then it hands over only the checked addresses', async () => {
    const resolving = new OutboundAddressPolicy([], async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    const all = await new Promise((resolve) =>
      resolving.lookup('public.example.com', { all: true }, (err, addresses) => resolve({ err, addresses })),
    );
    expect(all).toEqual({
      err: null,
      addresses: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
    });
    const v6 = await new Promise((resolve) =>
      resolving.lookup('public.example.com', { family: 6 }, (err, address, family) => resolve([err, address, family])),
    );
    expect(v6).toEqual([null, '2606:2800:220:1::1', 6]);
  });

  it('when FLAGPOLE_WEBHOOK_ALLOW_PRIVATE is not a list of CIDRs, then the config names it', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('::1')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0/8', '::1/129', '10.0.0.0/8/8', '10.0.0.0/'])
      expect(parseCidr(bad)).toBeUndefined();
    expect(() => loadConfig({ FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32,10.0.0.0/33' })).toThrow(
      /FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: must be addresses or CIDRs/,
    );
    expect(loadConfig({ FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32, fd00::/8' }).webhooks.allowPrivate).toEqual([
      '127.0.0.1/32',
      'fd00::/8',
    ]);
  });
});
