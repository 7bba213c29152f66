import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeTemporal, temporalTarget } from '../../../config/temporal';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-temporal-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('the Temporal connection (config/temporal.ts, @temporalio/envconfig)', () => {
  it('defaults to the local dev server, in plain text', () => {
    const target = temporalTarget({});
    expect(target.namespace).toBe('default');
    expect(target.connectionOptions.address).toBe('127.0.0.1:7233');
    expect(target.connectionOptions.tls).toBeFalsy();
    expect(target.connectionOptions.apiKey).toBeUndefined();
    expect(describeTemporal(target)).toBe('127.0.0.1:7233 namespace default');
  });

  it('connects to Temporal Cloud with an API key: TLS on, the key never in the description', () => {
    const apiKey = ['cloud', 'key', String(Date.now())].join('-');
    const target = temporalTarget({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'shop.a1b2c', TEMPORAL_API_KEY: apiKey });
    expect(target.connectionOptions).toMatchObject({ address: 'eu-west-1.aws.api.temporal.io:7233', apiKey, tls: true });
    expect(target.namespace).toBe('shop.a1b2c');
    expect(describeTemporal(target)).toBe('eu-west-1.aws.api.temporal.io:7233 namespace shop.a1b2c (TLS, API key)');
    expect(describeTemporal(target)).not.toContain(apiKey);
  });

  it('uses a client certificate pair, a private CA and a server name (mTLS)', () => {
    const cert = write('client.pem', 'CERT');
    const key = write('client.key', 'KEY');
    const ca = write('ca.pem', 'CA');
    const target = temporalTarget({
      TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com',
    });
    const tls = target.connectionOptions.tls;
    expect(typeof tls).toBe('object');
    expect(tls && typeof tls === 'object' ? {
      crt: tls.clientCertPair?.crt.toString(), key: tls.clientCertPair?.key.toString(),
      ca: tls.serverRootCACertificate?.toString(), name: tls.serverNameOverride,
    } : null).toEqual({ crt: 'CERT', key: 'KEY', ca: 'CA', name: 'temporal.example.com' });
    expect(describeTemporal(target)).toContain('(TLS, client certificate)');
  });

  it('turns TLS on with TEMPORAL_TLS=true and off with false', () => {
    expect(temporalTarget({ TEMPORAL_TLS: 'true' }).connectionOptions.tls).toBeTruthy();
    expect(temporalTarget({ TEMPORAL_TLS: 'false' }).connectionOptions.tls).toBeFalsy();
  });

  it('reads a profile of TEMPORAL_CONFIG_FILE, which the environment overrides', () => {
    const file = write('temporal.toml', [
      '[profile.default]', 'address = "file-default:7233"', 'namespace = "file-ns"', '',
      '[profile.prod]', 'address = "prod.tmprl.cloud:7233"', 'namespace = "prod.acct"', 'api_key = "from-file"', '',
    ].join('\n'));
    expect(temporalTarget({ TEMPORAL_CONFIG_FILE: file })).toMatchObject({ namespace: 'file-ns', connectionOptions: { address: 'file-default:7233' } });
    const prod = temporalTarget({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    expect(prod).toMatchObject({ namespace: 'prod.acct', connectionOptions: { address: 'prod.tmprl.cloud:7233', apiKey: 'from-file', tls: true } });
    expect(temporalTarget({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' }).namespace).toBe('other');
  });
});
