import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { offlineBanner, scenarioOrOffline } from '../../src/experiment/scenario-or-offline';
import { UnknownNameError } from '../../src/errors';

test('a missing dataset falls back to the offline stand-in, and the banner names both', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-nodata-'));
  const choice = await scenarioOrOffline({
    benchmark: 'pmnist', offline: 'offline-permuted', seed: 0, dataDir: empty,
    overrides: { numTasks: 2 }, offlineOverrides: { numTasks: 2, trainCount: 40, testCount: 20 },
  });
  assert.equal(choice.offline, true);
  assert.equal(choice.paper, 'pmnist');
  assert.equal(choice.benchmark, 'offline-permuted');
  assert.deepEqual(choice.overrides, { numTasks: 2, trainCount: 40, testCount: 20 });
  assert.equal(choice.scenario.tasks.length, 2);
  const banner = offlineBanner(choice, empty);
  assert.match(banner['text/plain'], /no pmnist data in .*; running offline-permuted instead/);
  assert.match(banner['text/html'], /<code>offline-permuted<\/code>/);
});

test('an offline benchmark is used as it is, and errors other than missing data propagate', async () => {
  const choice = await scenarioOrOffline({ benchmark: 'offline-permuted', offline: 'offline-permuted', seed: 1, overrides: { numTasks: 2, trainCount: 40, testCount: 20 } });
  assert.equal(choice.offline, false);
  await assert.rejects(scenarioOrOffline({ benchmark: 'pmnits', offline: 'offline-permuted', seed: 0 }), UnknownNameError);
});
