/**
 * Jest setup: tests never reach anything but loopback. In-process `fetch` to any other host fails at
 * once (before any DNS look-up), and the processes tests start are pointed at a closed loopback port
 * for Microsoft's sign-in service, which production asks by default.
 */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i;

const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (!LOOPBACK.test(url.hostname)) {
    throw new TypeError(`tests reach only loopback, not ${url.hostname} (test/support/network-guard.ts)`);
  }
  return realFetch(input, init);
}) as typeof fetch;

process.env.WCF_ENTRA_URL ??= 'http://127.0.0.1:9';
