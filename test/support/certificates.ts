import { generate } from 'selfsigned';

export interface TestCertificate {
  cert: string;
  key: string;
}

/**
 * A throw-away certificate for 127.0.0.1 and localhost, made in the test run (never committed), so
 * that TLS servers on loopback can be trusted by passing `ca: cert`.
 */
export async function loopbackCertificate(names: readonly string[] = []): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          ...names.map((value) => ({ type: 2 as const, value })),
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
