import { maskSecret, SecretBox } from '../../../server/src/lib/secret-box';

describe('SecretBox (secrets at rest)', () => {
  const box = new SecretBox('k'.repeat(32));

  it('seals to something that does not contain the secret and opens back to it', () => {
    const sealed = box.seal('693a91f6-robot-key', 'robots.key');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('693a91f6');
    expect(box.open(sealed, 'robots.key')).toBe('693a91f6-robot-key');
    // A fresh IV each time: equal secrets do not give equal ciphertexts.
    expect(box.seal('693a91f6-robot-key', 'robots.key')).not.toBe(sealed);
  });

  it('refuses another key, another purpose and any altered byte', () => {
    const sealed = box.seal('secret', 'robots.key');
    expect(() => new SecretBox('x'.repeat(32)).open(sealed, 'robots.key')).toThrow();
    expect(() => box.open(sealed, 'other.column')).toThrow();
    const [v, iv, tag, body] = sealed.split(':') as [string, string, string, string];
    const flipped = body.startsWith('A') ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    expect(() => box.open([v, iv, tag, flipped].join(':'), 'robots.key')).toThrow();
    expect(() => box.open('plain-text', 'robots.key')).toThrow();
  });

  it('wants a key of at least 32 characters, and masks secrets for display', () => {
    expect(() => new SecretBox('short')).toThrow(/32/);
    expect(maskSecret('693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe('693a…5aaa');
    expect(maskSecret('abc')).toBe('****');
  });
});
