import pino from 'pino';

/**
 * One pino logger for the process. Secrets, tokens and decrypted message bodies are never logged at
 * info level: the redact list covers the fields that could carry them.
 */
export function createLogger(level: string, name = 'shopcrew'): pino.Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['access_token', '*.access_token', 'token', '*.token', 'secret', '*.secret', 'corpsecret', 'req.headers.cookie', 'plaintext', '*.plaintext'],
      censor: '[redacted]',
    },
  });
}
export type Logger = pino.Logger;
