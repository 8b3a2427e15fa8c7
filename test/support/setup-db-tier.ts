// integration/api: migrations on a cold MariaDB can exceed Jest's 5 s default (testTimeout is global-only).
jest.setTimeout(30_000);
