import type { Config } from '../config/config';
import { S3Storage, type S3StorageOptions } from './s3-storage';
import { LocalDiskStorage, type Storage } from './storage';

/** The configured store: S3-compatible when STORAGE_URL is set, else the local disk under STORAGE_DIR. */
export function createStorage(config: Pick<Config, 'STORAGE_DIR' | 'STORAGE_URL'>, s3Options?: S3StorageOptions): Storage {
  return config.STORAGE_URL ? new S3Storage(config.STORAGE_URL, s3Options) : new LocalDiskStorage(config.STORAGE_DIR);
}

/** Where files go, for a log line at start: never the credentials. */
export function describeStorage(config: Pick<Config, 'STORAGE_DIR' | 'STORAGE_URL'>): string {
  const s3 = config.STORAGE_URL;
  return s3 ? `S3 bucket ${s3.bucket} at ${s3.endpoint} (${s3.region})` : `local disk ${config.STORAGE_DIR}`;
}
