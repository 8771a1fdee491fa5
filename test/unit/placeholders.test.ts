import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPlaceholder } from '../../server/src/core/placeholders';

const placeholders = [
  '',
  '   ',
  '{{ .Values.password }}',
  '${DB_PASSWORD}',
  '$(TOKEN)',
  '<your-password>',
  'changeme',
  'CHANGE_ME',
  'REPLACE_ME',
  'REPLACE_WITH_BASE64_CERT',
  'change-me-placeholder',
  'replace with your token',
  '**access token goes here**',
  'token-here',
  'p-XXXX',
  'xxxxxxxx',
  'TODO',
  '...',
  '-----BEGIN CERTIFICATE-----\n<your-client-certificate>\n-----END CERTIFICATE-----\n',
];

const realValues = [
  'hunter2',
  's3cr3t-pass',
  'changemenow1!',
  'replaceable-Q9z',
  'there',
  'hereford-77',
  'maxx-2024',
  'Xx9xXx4x',
  'Tr0ub4dor&3',
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n',
];

for (const value of placeholders) {
  test(`placeholder: ${JSON.stringify(value)}`, () => assert.equal(isPlaceholder(value), true));
}
for (const value of realValues) {
  test(`real value: ${JSON.stringify(value)}`, () => assert.equal(isPlaceholder(value), false));
}
