/** The Storage choice: LocalDiskStorage (delete), STORAGE_URL parsing in the config, createStorage. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../../server/src/config/config';
import { createStorage, describeStorage } from '../../../server/src/lib/create-storage';
import { parseStorageUrl, S3Storage } from '../../../server/src/lib/s3-storage';
import { LocalDiskStorage } from '../../../server/src/lib/storage';

const VALID: Record<string, string> = {
  SESSION_SECRET: 'a-session-secret-of-at-least-32-chars!!',
  SECRETS_KEY: 'a-secrets-key-of-at-least-32-characters',
  WECOM_CORP_ID: 'ww1234567890abcdef',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'agent-secret',
  WECOM_CALLBACK_TOKEN: 'Token123',
  WECOM_CALLBACK_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

describe('LocalDiskStorage.delete', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'shopcrew-storage-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('removes a file; removing a missing one is fine; a foreign key is refused', async () => {
    const storage = new LocalDiskStorage(dir);
    await storage.put('projects/2026/a.pdf', Buffer.from('%PDF-'));
    await storage.delete('projects/2026/a.pdf');
    expect(await storage.get('projects/2026/a.pdf')).toBeNull();
    await expect(storage.delete('projects/2026/a.pdf')).resolves.toBeUndefined();
    await expect(storage.delete('../etc/passwd')).rejects.toThrow(/invalid storage key/);
    await expect(storage.put('projects//a.pdf', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
  });
});

describe('STORAGE_URL', () => {
  const problem = (value: string): string => {
    try {
      loadConfig({ ...VALID, STORAGE_URL: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe('STORAGE_URL');
      return (err as Error).message;
    }
    throw new Error(`accepted ${value}`);
  };

  it('empty or unset = the local disk in STORAGE_DIR', () => {
    for (const env of [VALID, { ...VALID, STORAGE_URL: '' }]) {
      const config = loadConfig({ ...env, STORAGE_DIR: '/var/lib/shopcrew/files' });
      expect(config.STORAGE_URL).toBeUndefined();
      expect(createStorage(config)).toBeInstanceOf(LocalDiskStorage);
      expect(describeStorage(config)).toBe('local disk /var/lib/shopcrew/files');
    }
  });

  it('AWS: percent-decoded credentials, host, bucket, region', () => {
    const config = loadConfig({
      ...VALID,
      STORAGE_URL:
        's3+https://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCYEXAMPLEKEY@s3.ap-southeast-1.amazonaws.com/my-bucket?region=ap-southeast-1',
    });
    expect(config.STORAGE_URL).toEqual({
      endpoint: 'https://s3.ap-southeast-1.amazonaws.com',
      bucket: 'my-bucket',
      region: 'ap-southeast-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    });
    expect(config.STORAGE_URL!.secretAccessKey).toBe('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(createStorage(config)).toBeInstanceOf(S3Storage);
    expect(describeStorage(config)).toBe('S3 bucket my-bucket at https://s3.ap-southeast-1.amazonaws.com (ap-southeast-1)');
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 5 }), inspect(createStorage(config), { depth: 5 })])
      expect(shown).not.toContain('EXAMPLEKEY');
  });

  it('MinIO over http with a port (a trailing slash after the bucket is fine)', () => {
    expect(parseStorageUrl('s3+http://minio:minio-secret@minio:9000/bucket/?region=us-east-1')).toEqual({
      endpoint: 'http://minio:9000',
      bucket: 'bucket',
      region: 'us-east-1',
      accessKeyId: 'minio',
    });
  });

  it.each([
    ['https://K:S@s3.amazonaws.com/b-1?region=us-east-1', /scheme must be s3\+https or s3\+http/],
    ['s3+https://s3.amazonaws.com/b-1?region=us-east-1', /access key and the secret are required/],
    ['s3+https://K@s3.amazonaws.com/b-1?region=us-east-1', /access key and the secret are required/],
    ['s3+https://K:S@s3.amazonaws.com/?region=us-east-1', /BUCKET must be one path segment/],
    ['s3+https://K:S@s3.amazonaws.com/a/b?region=us-east-1', /BUCKET must be one path segment/],
    ['s3+https://K:S@s3.amazonaws.com/My_Bucket?region=us-east-1', /BUCKET must be one path segment/],
    ['s3+https://K:S@s3.amazonaws.com/b-1', /region= is required/],
    ['s3+https://K:S@s3.amazonaws.com/b-1?region=us-east-1&prefix=x', /unknown parameter "prefix"/],
    ['s3+https://K:S%ZZ@s3.amazonaws.com/b-1?region=us-east-1', /not validly percent-encoded/],
    ['not a url', /must look like s3\+https:\/\/ACCESS_KEY:SECRET@HOST/],
  ])('%s is refused with one line naming STORAGE_URL', (value, why) => {
    const message = problem(value);
    expect(message).toMatch(/^STORAGE_URL must look like /);
    expect(message).toMatch(why);
    expect(message).not.toContain('\n');
  });

  it('an unencoded / in the secret is refused without echoing the secret', () => {
    const message = problem('s3+https://AKID:abc/def-SECRETPART@s3.amazonaws.com/b-1?region=us-east-1');
    expect(message).not.toContain('SECRETPART');
  });
});
