import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartPolicy } from '../../client/src/restart-policy';

test('a crashed server is restarted, and the user is told once', () => {
  let now = 0;
  const policy = new RestartPolicy(4, 180_000, () => now);
  const first = policy.closed();
  assert.equal(first.restart, true);
  assert.match(first.message ?? '', /stopped unexpectedly and was restarted/);
  now += 60_000;
  assert.deepEqual(policy.closed(), { restart: true }, 'no second message');
});

test('a server that keeps crashing is given up on, with an error', () => {
  let now = 0;
  const policy = new RestartPolicy(4, 180_000, () => now);
  for (let i = 0; i < 4; i++) {
    assert.equal(policy.closed().restart, true);
    now += 1000;
  }
  const fifth = policy.closed();
  assert.equal(fifth.restart, false);
  assert.match(fifth.message ?? '', /stopped 5 times in 3 minutes and was not restarted/);
});

test('crashes older than the window are forgotten', () => {
  let now = 0;
  const policy = new RestartPolicy(4, 180_000, () => now);
  for (let i = 0; i < 4; i++) policy.closed();
  now += 180_000;
  assert.equal(policy.closed().restart, true);
});

test('connection errors: go on for a few, then shut down', () => {
  const policy = new RestartPolicy();
  assert.equal(policy.error(1), 'continue');
  assert.equal(policy.error(3), 'continue');
  assert.equal(policy.error(4), 'shutdown');
});
