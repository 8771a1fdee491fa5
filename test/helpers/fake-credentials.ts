/**
 * Fake credentials for tests, assembled from parts at run time so that no source file holds
 * a token-shaped literal (secret scanners would flag the repository otherwise).
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BASE64 = `${ALNUM}+/`;

/** `length` characters of a fixed pseudo-random sequence over `alphabet`. */
export function fakeChars(length: number, seed = 7, alphabet = ALNUM): string {
  let state = seed >>> 0;
  let text = '';
  while (text.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    text += alphabet[(state >>> 16) % alphabet.length] ?? 'a';
  }
  return text;
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A base64url JSON segment, as in a JWT. */
export const jwtSegment = b64url;

/** Fake credentials of every kind. */
export const FAKE = {
  awsKeyId: 'AK' + 'IA' + fakeChars(16, 3, UPPER_ALNUM),
  awsSessionKeyId: 'AS' + 'IA' + fakeChars(16, 4, UPPER_ALNUM),
  github: (prefix: string): string => 'gh' + prefix + '_' + fakeChars(36, 5),
  githubFineGrained: 'github' + '_pat_' + fakeChars(22, 6) + '_' + fakeChars(59, 8),
  gitlab: 'gl' + 'pat-' + fakeChars(20, 9),
  slackBot: 'xo' + 'xb-' + '1234567890' + '-' + '2345678901' + '-' + fakeChars(24, 10),
  slackWebhook:
    'https://hooks.' +
    'slack.com/services/' +
    'T' +
    fakeChars(8, 11, UPPER_ALNUM) +
    '/B' +
    fakeChars(8, 12, UPPER_ALNUM) +
    '/' +
    fakeChars(24, 13),
  stripe: 'sk' + '_live_' + fakeChars(24, 14),
  stripeRestricted: 'rk' + '_live_' + fakeChars(24, 15),
  google: 'AI' + 'za' + fakeChars(35, 16),
  jwt:
    b64url({ alg: 'HS256', typ: 'JWT' }) +
    '.' +
    b64url({ sub: '1234567890', name: 'Jane', iat: 1516239022 }) +
    '.' +
    fakeChars(43, 17),
  /** A PEM block with four lines of fake base64 and a final line break. */
  pem: (label: string): string =>
    `-----BEGIN ${label}-----\n` +
    [0, 1, 2, 3].map((i) => fakeChars(64, 20 + i, BASE64)).join('\n') +
    `\n-----END ${label}-----\n`,
  url: 'postgres://app:' + 'Tr0ub4dor' + '-' + fakeChars(8, 18) + '@db.internal:5432/orders',
};
