// e2e: browser launch + server boot + page flows. Jest allows testTimeout only globally, hence this file.
jest.setTimeout(60_000);
